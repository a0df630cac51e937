//! Per-connection control: lets a handler make the server drop its connection without answering
//! (the "dropped connection" fault).

use std::sync::Arc;

use tokio::sync::Notify;

/// Put into every request's extensions by the server's accept loop.
#[derive(Debug, Clone, Default)]
pub struct ConnectionControl {
    drop: Arc<Notify>,
}

impl ConnectionControl {
    /// A fresh control for one connection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the connection task to close the connection at once, without a response.
    pub fn drop_connection(&self) {
        self.drop.notify_one();
    }

    /// Resolves when a handler asked for the connection to be dropped.
    pub async fn dropped(&self) {
        self.drop.notified().await;
    }
}
