//! The Amazon side of the CLI tests: a real sandbox serving HTTPS with its own CA, and homes whose sellerlink reaches
//! it as the demo MWS developer or the demo SP-API app.

use sellerlink_sandbox::{RunningSandbox, SandboxConfig};
use sellerlink_testkit::SandboxControl;
use sellerlink_testkit::sandbox_control::{AuthorizationAction, GrantAction};

use crate::support::Home;

/// A sandbox on HTTPS (its CA in a temporary directory), throttling scaled down 1000×.
pub struct Amazon {
    pub sandbox: RunningSandbox,
    /// The sandbox's control API.
    pub control: SandboxControl,
    _certs: tempfile::TempDir,
}

impl Amazon {
    /// A sandbox with `sellers` sellers of 60 orders each.
    pub async fn start(sellers: usize) -> Self {
        Self::with_orders(sellers, 60).await
    }

    /// A sandbox with `sellers` sellers of `orders` orders each.
    pub async fn with_orders(sellers: usize, orders: usize) -> Self {
        let certs = tempfile::tempdir().unwrap();
        let config = SandboxConfig {
            sellers,
            orders_per_seller: orders,
            throttle_scale: 1000.0,
            cert_dir: certs.path().to_path_buf(),
            ..SandboxConfig::default()
        };
        let sandbox = sellerlink_sandbox::start(config).await.unwrap();
        Self {
            control: SandboxControl::new(sandbox.http_url()),
            sandbox,
            _certs: certs,
        }
    }

    /// A home whose sellerlink reaches this sandbox as the demo developer.
    pub fn mws_home(&self) -> Home {
        let developer = self.sandbox.demo_developer();
        Home::new()
            .with_env("SELLERLINK_MWS_ENDPOINT", &self.sandbox.https_url())
            .with_env("SELLERLINK_MWS_ACCESS_KEY_ID", &developer.access_key_id)
            .with_env("SELLERLINK_MWS_SECRET_KEY", &developer.secret_key)
            .with_env(
                "SELLERLINK_MWS_CA_FILE",
                self.sandbox.ca_pem_path().to_str().unwrap(),
            )
            .with_env("SELLERLINK_MWS_RESTORE_RATE_SCALE", "1000")
    }

    /// A home whose sellerlink is the demo app, reaching LWA and SP-API at this sandbox over HTTPS.
    pub fn spapi_home(&self) -> Home {
        let app = self.sandbox.demo_app();
        let secret = app.current_secret().expect("the demo app has a secret");
        let secret_expires_on = secret
            .expires_at
            .in_tz("Asia/Tokyo")
            .unwrap()
            .date()
            .to_string();
        let url = self.sandbox.https_url();
        Home::new()
            .with_env("SELLERLINK_SPAPI_APPLICATION_ID", &app.application_id)
            .with_env("SELLERLINK_LWA_CLIENT_ID", &app.client_id)
            .with_env("SELLERLINK_LWA_CLIENT_SECRET", secret.expose())
            .with_env(
                "SELLERLINK_LWA_CLIENT_SECRET_EXPIRES_ON",
                &secret_expires_on,
            )
            .with_env(
                "SELLERLINK_SPAPI_REDIRECT_URI",
                "https://3pl.example.jp/amazon/callback",
            )
            .with_env("SELLERLINK_LWA_ENDPOINT", &format!("{url}/auth/o2/token"))
            .with_env("SELLERLINK_SPAPI_ENDPOINT", &url)
            .with_env(
                "SELLERLINK_SPAPI_CA_FILE",
                self.sandbox.ca_pem_path().to_str().unwrap(),
            )
            .with_env("SELLERLINK_SPAPI_RATE_SCALE", "1000")
    }

    pub fn seller(&self, index: usize) -> String {
        self.sandbox.sellers()[index].seller_id.clone()
    }

    /// Grants the demo developer access to a seller, as the pages would; returns the MWS Auth Token.
    pub async fn grant(&self, seller_id: &str) -> String {
        let developer = self.sandbox.demo_developer().developer_id;
        self.control
            .grant(seller_id, &developer)
            .await
            .mws_auth_token
    }

    /// The seller revokes, lets expire or restores the demo developer's access in Seller Central.
    pub async fn act(&self, seller_id: &str, action: &str) {
        let action = match action {
            "revoke" => GrantAction::Revoke,
            "expire" => GrantAction::ExpireNow,
            "restore" => GrantAction::Restore,
            other => panic!("unknown action {other}"),
        };
        let developer = self.sandbox.demo_developer().developer_id;
        self.control
            .grant_action(action, seller_id, &developer)
            .await;
    }

    /// The seller authorizes the demo app (self-authorization); returns the refresh token Amazon issues.
    pub async fn authorize(&self, seller_id: &str) -> String {
        let app_id = self.sandbox.demo_app().application_id;
        self.control
            .authorize(seller_id, Some(&app_id))
            .await
            .refresh_token
            .expect("a self-authorization issues a refresh token")
    }

    /// The seller revokes the demo app in Manage Your Apps.
    pub async fn revoke(&self, seller_id: &str) {
        let app_id = self.sandbox.demo_app().application_id;
        self.control
            .authorization_action(AuthorizationAction::Revoke, seller_id, Some(&app_id))
            .await;
    }
}
