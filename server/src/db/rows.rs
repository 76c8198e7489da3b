//! Rows inserted many to a statement: one round trip for a whole batch of sales instead of one
//! per row, within both engines' limits on bound values.

use sqlx::{Any, AssertSqlSafe, Transaction};

use crate::error::Result;

/// The most values bound to one multi-row insert, well inside both engines' limits.
const MAX_PARAMS: usize = 8_000;

/// One value of a row to insert.
#[derive(Debug)]
pub enum Value {
    /// Text.
    Text(String),
    /// Text or NULL.
    MaybeText(Option<String>),
    /// A whole number (yen, counts, flags).
    Int(i64),
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_owned())
    }
}

impl From<Option<String>> for Value {
    fn from(text: Option<String>) -> Value {
        Value::MaybeText(text)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Value {
        Value::Int(i64::from(flag))
    }
}

/// Rows for one table, inserted together.
#[derive(Debug)]
pub struct Rows {
    /// `INSERT INTO table (columns)`.
    head: &'static str,
    /// What follows the values (an `ON CONFLICT` clause), or nothing.
    tail: &'static str,
    /// Values per row.
    width: usize,
    /// The values, row after row.
    values: Vec<Value>,
}

impl Rows {
    /// Rows for `head` (`INSERT INTO table (columns)`), `width` values each.
    pub fn new(head: &'static str, width: usize) -> Rows {
        Rows { head, tail: "", width, values: Vec::new() }
    }

    /// Rows that add to existing ones: `tail` says how, on a key already there.
    pub fn adding(head: &'static str, width: usize, tail: &'static str) -> Rows {
        Rows { head, tail, width, values: Vec::new() }
    }

    /// Adds a row.
    pub fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(N, self.width);
        self.values.extend(row);
    }

    /// Inserts the rows, as many per statement as the parameter limit allows.
    pub async fn insert(self, tx: &mut Transaction<'_, Any>) -> Result<()> {
        let per_statement = (MAX_PARAMS / self.width).max(1) * self.width;
        let mut values = self.values.into_iter().peekable();
        while values.peek().is_some() {
            let chunk: Vec<Value> = values.by_ref().take(per_statement).collect();
            let mut sql = format!("{} VALUES ", self.head);
            for row in 0..chunk.len() / self.width {
                sql.push_str(if row == 0 { "(" } else { ", (" });
                push_placeholders(&mut sql, 1 + row * self.width, self.width);
                sql.push(')');
            }
            sql.push_str(self.tail);
            // The statement is made of constants and placeholders only; every value is bound.
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for value in chunk {
                query = match value {
                    Value::Text(text) => query.bind(text),
                    Value::MaybeText(text) => query.bind(text),
                    Value::Int(n) => query.bind(n),
                };
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// Appends `$first, $first+1, ...` (`count` of them).
pub fn push_placeholders(sql: &mut String, first: usize, count: usize) {
    for n in 0..count {
        if n > 0 {
            sql.push_str(", ");
        }
        sql.push('$');
        sql.push_str(&(first + n).to_string());
    }
}
