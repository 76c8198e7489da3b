//! PayPay's Open Payment API (OPA): how requests are signed, what goes over the wire, and the
//! client the engine calls.

pub mod client;
pub mod sign;
pub mod wire;
