//! The demo app every sandbox seeds for the demo developer: published, with placeholder redirect
//! and log-in URIs that tests and the product replace with their own through the control API.

use super::apps::{App, AppStage, NewApp};
use crate::world::{DEMO_DEVELOPER_NAME, World};

/// The demo app's name.
pub const DEMO_APP_NAME: &str = "shippinno sellerlink";
/// The placeholder OAuth redirect URI the demo app starts with.
pub const DEMO_REDIRECT_URI: &str = "https://sellerlink.example/amazon/callback";
/// The placeholder log-in URI the demo app starts with.
pub const DEMO_LOGIN_URI: &str = "https://sellerlink.example/amazon/login";

/// Registers the demo app (identifiers follow the world's seed).
pub fn seed_demo_app(world: &mut World) -> App {
    let now = world.now();
    world
        .lwa
        .register_app(
            NewApp {
                name: DEMO_APP_NAME.to_owned(),
                developer_name: Some(DEMO_DEVELOPER_NAME.to_owned()),
                redirect_uris: vec![DEMO_REDIRECT_URI.to_owned()],
                login_uri: Some(DEMO_LOGIN_URI.to_owned()),
                stage: Some(AppStage::Published),
                ..NewApp::default()
            },
            now,
        )
        .expect("the demo app is valid")
}

/// The demo app, if this world seeded one.
pub fn demo_app(world: &World) -> Option<&App> {
    world.lwa.apps().iter().find(|a| a.name == DEMO_APP_NAME)
}
