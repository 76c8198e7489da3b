//! Payments through a provider: PayPay's contract (signature, wire shapes).

pub mod paypay;
