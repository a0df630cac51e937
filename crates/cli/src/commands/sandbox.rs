//! `sellerlink sandbox`: the local Amazon emulator as a long-running process.

use crate::args::SandboxArgs;

pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    let config = sellerlink_sandbox::SandboxConfig {
        bind: args.bind,
        http_port: args.port,
        https_port: Some(args.https_port),
        seed: args.seed,
        sellers: args.sellers,
        orders_per_seller: args.orders_per_seller,
        throttle_scale: args.throttle_scale,
        ..sellerlink_sandbox::SandboxConfig::default()
    };
    sellerlink_sandbox::run_forever(config).await?;
    Ok(())
}
