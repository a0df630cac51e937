//! `sellerlink connection …`

mod prompt;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use secrecy::ExposeSecret as _;
use sellerlink_app::{
    App, AppError, AuthorizationDateProblem, ConnectionView, LifecycleCommand, MwsTokenReplacement,
    NewMwsConnection, NewSpApiConnection, SpApiConnected, SpApiFailure, VerificationFailure,
};
use sellerlink_domain::audit::Actor;
use sellerlink_domain::connection::ApiAccount;
use sellerlink_domain::ids::{LwaRefreshToken, MarketplaceId, MwsAuthToken, SellingPartnerId};
use sellerlink_domain::lifecycle::{DateField, Expiry, RenewalTerm, SellerCentralDates};
use sellerlink_store::AuditFilter;
use serde::Serialize;

use super::cli_actor;
use crate::args::{
    ConnectionAddArgs, ConnectionAddSpApiArgs, ConnectionCommand, ConnectionReplaceTokenArgs,
    GrantDatesArgs,
};
use crate::output::Output;

pub async fn run(app: &App, command: ConnectionCommand, output: &Output) -> anyhow::Result<()> {
    let actor = cli_actor();
    match command {
        ConnectionCommand::Add(args) => {
            let input = parse_add(app, args).await?;
            let view = app.add_mws_connection(input, &actor).await?;
            output.done(
                &format!(
                    "Connection {} added for seller {} ({}). {}",
                    view.connection.id,
                    view.connection.account.seller_id(),
                    if view.connection.verified_at.is_some() {
                        "verified with Amazon"
                    } else {
                        "not verified"
                    },
                    expiry_sentence(&view)
                ),
                &view,
            );
        }
        ConnectionCommand::AddSpapi(args) => add_spapi(app, args, &actor, output).await?,
        ConnectionCommand::List { merchant } => {
            let merchant_id = match merchant {
                Some(m) => Some(app.find_merchant(&m).await?.id),
                None => None,
            };
            let views = app.connections(merchant_id).await?;
            let rows = views.iter().map(row).collect();
            output.table(
                &[
                    "ID",
                    "API",
                    "SELLER",
                    "MARKETPLACES",
                    "STATUS",
                    "EXPIRES ON",
                    "DAYS LEFT",
                ],
                rows,
                &views,
            );
        }
        ConnectionCommand::Show { id } => {
            let view = app.connection(id).await?;
            let audit = app
                .store()
                .audit_entries(&AuditFilter {
                    connection: Some(id),
                    limit: 50,
                    ..Default::default()
                })
                .await?
                .into_iter()
                .map(|record| record.entry)
                .collect::<Vec<_>>();
            if output.json {
                output.done(
                    "",
                    serde_json::json!({ "connection": view, "audit": audit }),
                );
            } else {
                print_details(&view);
                println!("\nAudit log (newest first):");
                for entry in &audit {
                    println!(
                        "  {}  {:<22} {}",
                        entry.at,
                        entry.action.as_str(),
                        entry.actor.as_str()
                    );
                }
            }
        }
        ConnectionCommand::Verify { id } => {
            let outcome = app.verify_connection(id).await?;
            let view = app.connection(id).await?;
            match outcome {
                sellerlink_app::VerifyOutcome::Verified(verified) => {
                    let resumed = if verified.cleared_access_denied {
                        " Access lost is cleared: sync resumes."
                    } else {
                        ""
                    };
                    output.done(&format!("Amazon accepted connection {id}.{resumed}"), &view);
                }
                sellerlink_app::VerifyOutcome::AccessDenied { message, .. } => {
                    anyhow::bail!(
                        "Amazon refused connection {id}: {message}. It is marked access lost and its sync is paused."
                    );
                }
            }
        }
        ConnectionCommand::Renew { id, on } => {
            let on = action_day(on.as_deref())?;
            lifecycle(app, id, LifecycleCommand::Renew { on }, output).await?
        }
        ConnectionCommand::Restore { id, on } => {
            let on = action_day(on.as_deref())?;
            lifecycle(app, id, LifecycleCommand::Restore { on }, output).await?
        }
        ConnectionCommand::ReplaceToken(args) => replace_token(app, args, &actor, output).await?,
        ConnectionCommand::EnableExpiry { id } => {
            lifecycle(app, id, LifecycleCommand::EnableExpiry, output).await?
        }
        ConnectionCommand::Revoke { id } => {
            lifecycle(app, id, LifecycleCommand::Revoke, output).await?
        }
        ConnectionCommand::Remove { id, yes } => {
            if !yes {
                anyhow::bail!(
                    "removing deletes the credential and every imported order of {id}; add --yes to confirm"
                );
            }
            app.remove_connection(id, &actor).await?;
            output.done(
                &format!("Connection {id} removed."),
                serde_json::json!({ "removed": id }),
            );
        }
    }
    Ok(())
}

async fn lifecycle(
    app: &App,
    id: sellerlink_domain::ids::ConnectionId,
    command: LifecycleCommand,
    output: &Output,
) -> anyhow::Result<()> {
    let view = app.apply(id, command, &cli_actor()).await?;
    let done = match command {
        LifecycleCommand::Renew { .. } => "Access approved (renewed).",
        LifecycleCommand::Restore { .. } => "Access restored.",
        LifecycleCommand::EnableExpiry => "Expiry feature enabled (this cannot be undone).",
        LifecycleCommand::Revoke => "Access revoked.",
    };
    output.done(&format!("{done} {}", expiry_sentence(&view)), &view);
    Ok(())
}

async fn parse_add(app: &App, args: ConnectionAddArgs) -> anyhow::Result<NewMwsConnection> {
    let merchant = app.find_merchant(&args.merchant).await?;
    let home: &MarketplaceId = &args.marketplace_ids[0];
    let dates = grant_dates(&args.dates, home)?;
    // The same checks as every other way in, before the token is asked for.
    dates
        .grant(app.now(), home.marketplace(), RenewalTerm::OneYear)
        .map_err(AppError::from)?;
    let auth_token = match args.auth_token {
        Some(token) => MwsAuthToken::parse(&token),
        None => MwsAuthToken::parse(
            prompt::read_secret("MWS Auth Token (MWS認証トークン)")
                .await?
                .expose_secret(),
        ),
    }
    .map_err(AppError::from)?;
    Ok(NewMwsConnection {
        merchant_id: merchant.id,
        seller_id: args.seller_id,
        marketplaces: args.marketplace_ids,
        auth_token,
        granted_at: dates.granted_at,
        last_approved_on: dates.last_approved_on,
        expiry: dates.expiry,
        skip_verification: args.no_verify,
    })
}

/// `--on`: the day an approval or restore was done in Seller Central; none = today.
fn action_day(text: Option<&str>) -> Result<Option<Date>, AppError> {
    Ok(match text {
        Some(text) => DateField::ActionOn.parse(text)?,
        None => None,
    })
}

/// `--granted-at`, `--last-approved`, `--expires-on`, `--no-expiry`, parsed in the home marketplace's calendar.
fn grant_dates(
    args: &GrantDatesArgs,
    home: &MarketplaceId,
) -> Result<SellerCentralDates, AppError> {
    let time_zone = home.marketplace().time_zone;
    let granted_at = args
        .granted_at
        .as_deref()
        .map(|text| parse_instant("--granted-at", text, time_zone))
        .transpose()?;
    let last_approved_on = match &args.last_approved {
        Some(text) => DateField::LastApprovedOn.parse(text)?,
        None => None,
    };
    let expiry = if args.no_expiry {
        Some(Expiry::Disabled)
    } else {
        match &args.expires_on {
            Some(text) => DateField::ExpiresOn
                .parse(text)?
                .map(|expires_on| Expiry::Enabled { expires_on }),
            None => None,
        }
    };
    Ok(SellerCentralDates {
        granted_at,
        last_approved_on,
        expiry,
    })
}

/// `connection replace-token`: the dates parsed first, then the token read from stdin or a hidden prompt; the app
/// checks the rules and asks Amazon before anything is stored.
async fn replace_token(
    app: &App,
    args: ConnectionReplaceTokenArgs,
    actor: &Actor,
    output: &Output,
) -> anyhow::Result<()> {
    let existing = app.connection(args.id).await?;
    let dates = grant_dates(&args.dates, existing.connection.home_marketplace())?;
    let token = prompt::read_secret("New MWS Auth Token (新しいMWS認証トークン)").await?;
    let auth_token = MwsAuthToken::parse(token.expose_secret()).map_err(AppError::from)?;
    let view = app
        .replace_mws_token(
            MwsTokenReplacement {
                connection_id: args.id,
                auth_token,
                dates,
            },
            actor,
        )
        .await?;
    output.done(
        &format!(
            "The MWS Auth Token of connection {} was replaced and verified with Amazon. {}",
            args.id,
            expiry_sentence(&view)
        ),
        &view,
    );
    Ok(())
}

/// What `connection add-spapi --json` prints: the connection as `connection add` prints it, and whether an existing
/// connection was renewed.
#[derive(Serialize)]
struct SpApiAdded<'a> {
    #[serde(flatten)]
    connection: &'a ConnectionView,
    renewed: bool,
}

/// `connection add-spapi`: every identifier parsed first (bilingual errors), the merchant looked up, then the
/// refresh token read from stdin or a hidden prompt, and the app's use case does the rest.
async fn add_spapi(
    app: &App,
    args: ConnectionAddSpApiArgs,
    actor: &Actor,
    output: &Output,
) -> anyhow::Result<()> {
    let selling_partner_id =
        SellingPartnerId::parse(&args.selling_partner_id).map_err(AppError::from)?;
    let marketplace_id = MarketplaceId::parse(&args.marketplace_id).map_err(AppError::from)?;
    let authorized_on = args
        .authorized_on
        .as_deref()
        .map(parse_authorization_date)
        .transpose()?;
    let merchant = app.find_merchant(&args.merchant).await?;
    let token = prompt::read_secret("LWA refresh token (LWAリフレッシュトークン, Atzr|…)").await?;
    let refresh_token = LwaRefreshToken::parse(token.expose_secret()).map_err(AppError::from)?;
    let added = app
        .add_spapi_connection(
            NewSpApiConnection {
                merchant_id: merchant.id,
                selling_partner_id,
                marketplace_id,
                refresh_token,
                authorized_on,
                skip_verification: args.no_verify,
            },
            actor,
        )
        .await?;
    output.done(
        &spapi_added_sentence(&added),
        SpApiAdded {
            connection: &added.connection,
            renewed: added.renewed,
        },
    );
    Ok(())
}

fn spapi_added_sentence(added: &SpApiConnected) -> String {
    let view = &added.connection;
    let c = &view.connection;
    let marketplace = c.home_marketplace().marketplace().name;
    let what = if added.renewed {
        format!(
            "SP-API connection {} renewed: the new refresh token is stored and verified with Amazon, authorized on {}.",
            c.id, c.grant.last_approved_on
        )
    } else if c.verified_at.is_some() {
        format!(
            "SP-API connection {} added for seller account {} in {marketplace}, verified with Amazon.",
            c.id,
            c.account.seller_id()
        )
    } else {
        format!(
            "SP-API connection {} added for seller account {} in {marketplace} without asking Amazon: it stays \
             unverified until `sellerlink connection verify {}`.",
            c.id,
            c.account.seller_id(),
            c.id
        )
    };
    format!("{what} {}", expiry_sentence(view))
}

/// `--authorized-on`: a civil date, or the refusal in both languages.
fn parse_authorization_date(text: &str) -> Result<Date, AppError> {
    text.trim().parse::<Date>().map_err(|_| {
        AppError::Verification(VerificationFailure::SpApi(
            SpApiFailure::AuthorizationDate {
                issue: AuthorizationDateProblem::NotADate {
                    given: text.trim().chars().take(40).collect(),
                },
            },
        ))
    })
}

/// RFC 3339 (`2018-04-17T01:26:33Z`), or Seller Central's local `2018-04-17 10:26:33` (optionally ` JST`).
fn parse_instant(field: &'static str, text: &str, time_zone: &str) -> Result<Timestamp, AppError> {
    let text = text.trim();
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Ok(instant);
    }
    let local = text.trim_end_matches("JST").trim();
    local
        .parse::<DateTime>()
        .ok()
        .and_then(|dt| dt.in_tz(time_zone).ok())
        .map(|zoned| zoned.timestamp())
        .ok_or_else(|| AppError::InvalidInput {
            field,
            problem: format!(
                "{text:?} is not a date-time; expected RFC 3339 (2018-04-17T01:26:33Z) or Seller Central's \
                 2018-04-17 10:26:33 in the marketplace's time zone ({time_zone})"
            ),
        })
}

fn expiry_sentence(view: &ConnectionView) -> String {
    let spapi = matches!(view.connection.account, ApiAccount::SpApi { .. });
    match (view.expires_on, view.days_until_expiry) {
        (None, _) => "The expiry feature is disabled: access does not expire.".to_owned(),
        (Some(date), Some(days)) if days > 0 && spapi => {
            format!("The authorization expires on {date} ({days} days left).")
        }
        (Some(date), Some(days)) if days > 0 => {
            format!("Access expires on {date} ({days} days left).")
        }
        (Some(date), _) if spapi => format!(
            "The authorization expired on {date}: the seller must re-authorize the app in Seller Central → \
             Manage Your Apps."
        ),
        (Some(date), _) => format!("Access expired on {date}: restore access in Seller Central."),
    }
}

fn row(view: &ConnectionView) -> Vec<String> {
    let c = &view.connection;
    vec![
        c.id.to_string(),
        c.account.api_name().to_owned(),
        c.account.seller_id().to_string(),
        c.marketplaces
            .iter()
            .map(|m| m.id.marketplace().country_code)
            .collect::<Vec<_>>()
            .join(","),
        view.status.name().to_owned(),
        view.expires_on
            .map_or_else(|| "never".to_owned(), |d| d.to_string()),
        view.days_until_expiry
            .map_or_else(|| "-".to_owned(), |d| d.to_string()),
    ]
}

fn print_details(view: &ConnectionView) {
    let c = &view.connection;
    let grant = &c.grant;
    println!("Connection      {}", c.id);
    println!("Merchant        {}", c.merchant_id);
    match &c.account {
        ApiAccount::Mws {
            seller_id,
            developer_id,
        } => {
            println!("API             MWS");
            println!("Seller ID       {seller_id}");
            println!("Developer ID    {developer_id}");
        }
        ApiAccount::SpApi {
            selling_partner_id,
            region,
        } => {
            println!("API             SP-API ({region})");
            println!("Seller          {selling_partner_id}");
        }
    }
    let markets: Vec<String> = c
        .marketplaces
        .iter()
        .map(|m| format!("{} ({})", m.id, m.id.marketplace().name))
        .collect();
    println!("Marketplaces    {}", markets.join(", "));
    println!("Credential      {}", view.credential_masked);
    println!("Status          {}", view.status.name());
    let tz = &grant.time_zone;
    let granted = grant
        .granted_at
        .in_tz(tz)
        .map(|z| z.strftime("%Y-%m-%d %H:%M:%S %Z").to_string());
    println!(
        "Granted at      {}",
        granted.unwrap_or_else(|_| grant.granted_at.to_string())
    );
    println!("Last approved   {}", grant.last_approved_on);
    println!("Expires on      {}", expiry_sentence(view));
    if let Some(denial) = &grant.access_denied {
        println!(
            "Access lost     since {}: {} ({})",
            denial.at, denial.cause, denial.detail
        );
    }
    println!(
        "Verified at     {}",
        c.verified_at
            .map_or_else(|| "never".to_owned(), |t| t.to_string())
    );
}
