//! PayPay's Open Payment API (OPA): how requests are signed and what goes over the wire.

pub mod sign;
pub mod wire;
