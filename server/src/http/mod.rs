//! The HTTP plumbing under every room: reading input, who is asking, limits, the OpenAPI
//! document's common parts and the built app. The router that joins the rooms is the crate
//! root's ([`crate::router`]), so that the rooms can use this plumbing and it never uses them.

pub mod app_shell;
pub mod auth;
pub mod edge;
pub mod headers;
pub mod html;
pub mod input;
pub mod limiter;
pub mod openapi;
