//! How typed domain values are kept in table columns, both ways, so the writer (sync) and the
//! readers (figures) cannot disagree.

use akinai_core::Field;
use akinai_core::ledger::TaxBucket;
use akinai_core::payment::PaymentMethod;
use akinai_core::tax::Named;

use crate::error::{Error, Result};

/// The `rate` and `reduced` columns of a tax bucket: the tables keep the non-taxable part as
/// rate 0, not reduced (no 0% rate exists; the schema predates the typed bucket).
pub fn bucket_columns(bucket: TaxBucket) -> (i64, bool) {
    match bucket {
        TaxBucket::Rate { percent, reduced } => (i64::from(percent), reduced),
        TaxBucket::Exempt => (0, false),
    }
}

/// The tax bucket that [`bucket_columns`] stored; a rate no bucket stores is corrupt data.
pub fn bucket_of(rate: i64, reduced: bool) -> Result<TaxBucket> {
    match (rate, u8::try_from(rate)) {
        (0, _) if !reduced => Ok(TaxBucket::Exempt),
        (1.., Ok(percent)) => Ok(TaxBucket::Rate { percent, reduced }),
        _ => Err(Error::Internal(format!("stored tax rate {rate} (reduced: {reduced})"))),
    }
}

/// The payment method whose word was stored; any other word is corrupt data, not a default.
pub fn method_of(word: &str) -> Result<PaymentMethod> {
    PaymentMethod::parse(word, Field::top("method"))
        .map_err(|_| Error::Internal(format!("stored payment method {word:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_read_back_as_written() {
        for bucket in [
            TaxBucket::Rate { percent: 10, reduced: false },
            TaxBucket::Rate { percent: 8, reduced: true },
            TaxBucket::Exempt,
        ] {
            let (rate, reduced) = bucket_columns(bucket);
            assert_eq!(bucket_of(rate, reduced).ok(), Some(bucket));
        }
        assert_eq!(bucket_columns(TaxBucket::Exempt), (0, false));
        assert!(bucket_of(0, true).is_err());
        assert!(bucket_of(-8, false).is_err());
        assert!(bucket_of(300, false).is_err());
    }

    #[test]
    fn only_a_method_word_reads_as_a_method() {
        assert_eq!(method_of("cash").ok(), Some(PaymentMethod::Cash));
        assert!(method_of("bitcoin").is_err());
    }
}
