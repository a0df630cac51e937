//! `sellerlink sandbox`: the local Amazon emulator as a long-running process.

use crate::args::{GlobalArgs, SandboxArgs};

pub async fn run(global: &GlobalArgs, args: SandboxArgs) -> anyhow::Result<()> {
    let config = sellerlink_sandbox::SandboxConfig {
        bind: args.bind,
        http_port: args.port,
        https_port: Some(args.https_port),
        seed: args.seed,
        sellers: args.sellers,
        orders_per_seller: args.orders_per_seller,
        throttle_scale: args.throttle_scale,
        cert_dir: args
            .cert_dir
            .unwrap_or_else(|| global.data_dir.join("sandbox")),
        ..sellerlink_sandbox::SandboxConfig::default()
    };
    sellerlink_sandbox::run_forever(config).await?;
    Ok(())
}
