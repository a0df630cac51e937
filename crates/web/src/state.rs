//! [`WebState`]: what every handler shares.

use std::sync::Arc;

use jiff::Timestamp;
use sellerlink_app::App;
use sellerlink_store::Store;
use sellerlink_sync::Importer;

use crate::config::WebConfig;
use crate::error::WebError;
use crate::security::Headers;
use crate::sync::Amazon;

/// The state of the web app: the application services, the settings, Amazon access and the security headers.
/// Cheap to clone.
#[derive(Clone)]
pub struct WebState {
    inner: Arc<Inner>,
}

struct Inner {
    app: App,
    config: WebConfig,
    amazon: Option<Amazon>,
    headers: Headers,
}

impl std::fmt::Debug for WebState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebState")
            .field("app", &self.inner.app)
            .field("amazon", &self.inner.amazon.is_some())
            .finish_non_exhaustive()
    }
}

impl WebState {
    /// Builds the state; with [`WebConfig::amazon`] set this builds the MWS client and the import engine.
    pub fn new(app: App, config: WebConfig) -> Result<Self, WebError> {
        let amazon = config
            .amazon
            .clone()
            .map(|access| Amazon::new(&app, access))
            .transpose()?;
        Ok(Self {
            inner: Arc::new(Inner {
                app,
                config,
                amazon,
                headers: Headers::new(),
            }),
        })
    }

    /// The application services.
    pub fn app(&self) -> &App {
        &self.inner.app
    }

    /// The import engine, when Amazon access is configured.
    pub fn importer(&self) -> Option<&Importer> {
        self.inner.amazon.as_ref().map(|a| &a.importer)
    }

    pub(crate) fn store(&self) -> &Store {
        self.inner.app.store()
    }

    pub(crate) fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    pub(crate) fn amazon(&self) -> Option<&Amazon> {
        self.inner.amazon.as_ref()
    }

    pub(crate) fn headers(&self) -> &Headers {
        &self.inner.headers
    }

    /// Now, on the app's clock.
    pub(crate) fn now(&self) -> Timestamp {
        self.inner.app.now()
    }
}
