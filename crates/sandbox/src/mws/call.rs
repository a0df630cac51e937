//! What an operation receives (an authenticated call) and returns (a reply body).

use axum::body::Bytes;
use axum::http::{HeaderMap, Method};
use jiff::Timestamp;

use crate::mws::params::Params;
use crate::mws::section::Section;
use crate::world::SellerAccount;
use crate::xml::XmlWriter;

/// An authenticated, authorized MWS call.
#[derive(Debug)]
pub struct Call<'a> {
    /// The section called.
    pub section: Section,
    /// The operation (Action).
    pub operation: &'static str,
    /// All parameters.
    pub params: &'a Params,
    /// The seller whose data is requested.
    pub seller: SellerAccount,
    /// The calling developer's ID.
    pub developer_id: String,
    /// Sandbox time of the request.
    pub now: Timestamp,
    /// HTTP method.
    pub method: &'a Method,
    /// Request headers.
    pub headers: &'a HeaderMap,
    /// Raw body (the feed, for SubmitFeed).
    pub body: &'a Bytes,
    /// This request's ID.
    pub request_id: &'a str,
}

/// A successful operation's response body.
#[derive(Debug)]
pub struct Reply {
    /// The body.
    pub body: String,
    /// Its Content-Type.
    pub content_type: &'static str,
    /// A `Content-MD5` header value, if the operation sends one.
    pub content_md5: Option<String>,
}

impl Reply {
    /// An XML reply.
    pub fn xml(body: String) -> Self {
        Self {
            body,
            content_type: "text/xml",
            content_md5: None,
        }
    }
}

impl Call<'_> {
    /// Starts `<{Op}Response xmlns=…><{Op}Result>`.
    pub fn begin(&self, capacity: usize) -> XmlWriter {
        let mut w = XmlWriter::with_capacity("<?xml version=\"1.0\"?>\n", capacity);
        w.open_with(
            &format!("{}Response", self.operation),
            &[("xmlns", self.section.namespace())],
        );
        w.open(&format!("{}Result", self.operation));
        w
    }

    /// Closes the result, adds `ResponseMetadata/RequestId` and closes the response.
    pub fn end(&self, mut w: XmlWriter) -> Reply {
        w.close(&format!("{}Result", self.operation));
        w.open("ResponseMetadata")
            .leaf("RequestId", self.request_id)
            .close("ResponseMetadata");
        w.close(&format!("{}Response", self.operation));
        Reply::xml(w.finish())
    }

    /// GetServiceStatus for any section: always GREEN.
    pub fn service_status(&self) -> Reply {
        let mut w = self.begin(512);
        w.leaf("Status", "GREEN")
            .leaf("Timestamp", &crate::timefmt::millis_z(self.now));
        self.end(w)
    }
}
