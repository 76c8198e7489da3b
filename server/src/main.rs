//! `akinai`: the server and its command-line tools.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use axum::http::{HeaderName, HeaderValue};
use axum_server::tls_rustls::RustlsConfig;
use clap::{Parser, Subcommand};
use tower_http::set_header::SetRequestHeaderLayer;

use akinai_i18n::Lang;
use akinai_server::db::database;
use akinai_server::payments::engine;
use akinai_server::payments::provider::Timeouts;
use akinai_server::payments::secrets::{Sealer, default_key_file};
use akinai_server::reports::export;
use akinai_server::tools::{backup, demo, standin, verify};
use akinai_server::{AppState, router};

#[derive(Parser)]
#[command(
    name = "akinai",
    version,
    about = "Akinai (商い): the point-of-sale server for small shops"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data is: the same two options for every subcommand that touches it.
#[derive(clap::Args)]
struct DbArgs {
    /// The SQLite file that keeps the shops' data (created if missing).
    #[arg(long, default_value = "akinai.db", env = "AKINAI_DB")]
    db: PathBuf,
    /// A PostgreSQL URL; when set, it is used instead of the SQLite file.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

impl DbArgs {
    /// The database these options name.
    fn target(&self) -> database::Target {
        database::Target::new(&self.db, self.database_url.as_deref())
    }
}

/// HTTPS: both files or neither (then plain HTTP, for localhost or behind a TLS proxy).
#[derive(clap::Args)]
struct TlsArgs {
    /// The server's certificate chain (PEM); serves HTTPS with --tls-key.
    #[arg(long, value_name = "FILE", env = "AKINAI_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, value_name = "FILE", env = "AKINAI_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
}

/// Payments through a provider: where its secrets' key is, whom to trust, the demo's stand-in.
#[derive(clap::Args)]
struct PaymentArgs {
    /// The key that seals the providers' API secrets (32 bytes, base64); without it,
    /// akinai-secrets.key beside the SQLite file is used, made (0600) on first start.
    #[arg(long, value_name = "FILE", env = "AKINAI_SECRETS_KEY")]
    secrets_key: Option<PathBuf>,
    /// Trusted roots (PEM) for reaching PayPay, instead of /etc/ssl/certs/ca-certificates.crt.
    #[arg(long, value_name = "FILE", env = "AKINAI_CA_FILE")]
    ca_file: Option<PathBuf>,
    /// A PayPay stand-in (`akinai stand-in paypay`) the demo store's QR payments go to; only
    /// then may owners point a store at a stand-in.
    #[arg(long, value_name = "URL", env = "AKINAI_PAYPAY_STAND_IN", requires = "demo")]
    paypay_stand_in: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app and its API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080", env = "AKINAI_ADDR")]
        addr: SocketAddr,
        #[command(flatten)]
        db: DbArgs,
        /// The built app (Trunk's dist folder).
        #[arg(long, default_value = "target/dist", env = "AKINAI_APP_DIR")]
        app_dir: PathBuf,
        /// Load the demo shop and its catalog if the database has no shop yet.
        #[arg(long, env = "AKINAI_DEMO")]
        demo: bool,
        #[command(flatten)]
        tls: TlsArgs,
        /// The largest total one sale may come to, in yen (at most 10^15); a synced sale above it
        /// is refused.
        #[arg(long, default_value_t = akinai_server::DEFAULT_MAX_SALE.get(), env = "AKINAI_MAX_SALE",
            value_parser = clap::value_parser!(i64).range(1..=akinai_core::money::MAX_AMOUNT.get()))]
        max_sale: i64,
        #[command(flatten)]
        payments: PaymentArgs,
    },
    /// Check every device's chain of records and every stored sale; exit 1 if anything broke.
    Verify {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write each owner's data (every table as JSON and CSV, with a README) under DIR/<email>/.
    Export {
        /// The folder to write into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only the owner with this e-mail address.
        #[arg(long, value_name = "EMAIL")]
        owner: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Copy a live SQLite database to FILE, consistently, while the server runs (PostgreSQL:
    /// use pg_dump).
    Backup {
        /// The backup file to write (replaced only once the new copy is complete).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Put a backup in place of the SQLite database (stop the server first).
    Restore {
        /// The backup file (made by `akinai backup`).
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Replace a database that is there already.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Read a cart as JSON on stdin and print its receipt as JSON (see docs/quote.md).
    Quote {
        /// Language of error messages (ja or en); by default from LC_ALL, LC_MESSAGES or LANG.
        #[arg(long)]
        lang: Option<String>,
    },
    /// Serve a stand-in for a payment provider, for demos and tests (no real money moves).
    #[command(subcommand)]
    StandIn(StandInProvider),
}

/// The providers `akinai stand-in` can stand in for.
#[derive(Subcommand)]
enum StandInProvider {
    /// PayPay's Open Payment API, with a page where the "customer" pays or declines a code.
    Paypay {
        /// Address to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:8090")]
        addr: SocketAddr,
        /// The API key it accepts.
        #[arg(long, default_value = standin::DEMO_API_KEY)]
        api_key: String,
        /// That key's secret.
        #[arg(long, default_value = standin::DEMO_API_SECRET)]
        api_secret: String,
        /// The merchant id; a request naming another merchant is refused.
        #[arg(long, default_value = standin::DEMO_MERCHANT_ID)]
        merchant_id: String,
        /// How long a code stays payable, in seconds.
        #[arg(long, default_value_t = standin::DEFAULT_CODE_TTL.as_secs())]
        code_ttl: u64,
        /// The URL customers reach it by (the codes' links start with it); by default
        /// http:// and the listening address.
        #[arg(long)]
        public_url: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Quote { lang } => quote(lang),
        Command::Serve { addr, db, app_dir, demo, tls, max_sale, payments } => {
            let max_sale = akinai_core::Yen::new(max_sale);
            finish(serve(addr, db, app_dir, demo, tls, max_sale, payments))
        }
        Command::Verify { db } => match verify(db) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::FAILURE,
            Err(err) => finish(Err(err)),
        },
        Command::Export { out, owner, db } => finish(export(out, owner, db)),
        Command::Backup { out, db } => finish(make_backup(out, db)),
        Command::Restore { from, force, db } => finish(restore(from, force, db)),
        Command::StandIn(StandInProvider::Paypay {
            addr,
            api_key,
            api_secret,
            merchant_id,
            code_ttl,
            public_url,
        }) => finish(stand_in(
            addr,
            standin::StandInConfig {
                api_key,
                api_secret,
                merchant_id: Some(merchant_id),
                code_ttl: std::time::Duration::from_secs(code_ttl),
                public_url,
            },
        )),
    }
}

/// Exits 0, or 1 after printing the error.
fn finish(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("akinai: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the database the options name.
async fn open(db: &DbArgs) -> anyhow::Result<database::Db> {
    let target = db.target();
    database::open(&target).await.with_context(|| format!("opening {}", target.describe()))
}

/// Prints every break and a summary; true when nothing broke.
#[tokio::main]
async fn verify(db: DbArgs) -> anyhow::Result<bool> {
    let report = verify::run(&open(&db).await?).await?;
    for problem in &report.problems {
        println!("{problem}");
    }
    println!("{}", report.summary());
    Ok(report.is_clean())
}

#[tokio::main]
async fn export(out: PathBuf, owner: Option<String>, db: DbArgs) -> anyhow::Result<()> {
    for dir in export::write_dirs(&open(&db).await?, &out, owner.as_deref()).await? {
        println!("{}", dir.display());
    }
    Ok(())
}

#[tokio::main]
async fn make_backup(out: PathBuf, db: DbArgs) -> anyhow::Result<()> {
    backup::backup(&db.target(), &out).await?;
    println!("{}", out.display());
    Ok(())
}

#[tokio::main]
async fn restore(from: PathBuf, force: bool, db: DbArgs) -> anyhow::Result<()> {
    let target = db.target();
    backup::restore(&from, &target, force).await?;
    println!("{} restored from {}", target.describe(), from.display());
    Ok(())
}

/// Serves the PayPay stand-in until Ctrl-C.
#[tokio::main]
async fn stand_in(addr: SocketAddr, config: standin::StandInConfig) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "akinai_server=info".into()),
        )
        .init();
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let (key, secret, merchant) =
        (config.api_key.clone(), config.api_secret.clone(), config.merchant_id.clone());
    let stand_in = standin::spawn(listener, config).await?;
    let url = stand_in.url();
    println!("PayPay stand-in (no real money moves) serving on {url}/");
    println!("  API key {key}, secret {secret}, merchant {}", merchant.unwrap_or_default());
    println!("  customer page: {url}/   switches: {url}/control");
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")?;
    Ok(())
}

fn quote(lang: Option<String>) -> ExitCode {
    let lang = lang
        .or_else(|| ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| std::env::var(v).ok()))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or(Lang::EN);
    let mut input = Vec::new();
    if let Err(err) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("input: {err}");
        return ExitCode::FAILURE;
    }
    match akinai_server::tools::quote::run_cli(&input, lang) {
        Ok(json) => match std::io::stdout().write_all(json.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        },
        Err(line) => {
            eprintln!("{line}");
            ExitCode::from(2)
        }
    }
}

#[tokio::main]
async fn serve(
    addr: SocketAddr,
    db: DbArgs,
    app_dir: PathBuf,
    demo: bool,
    tls: TlsArgs,
    max_sale: akinai_core::Yen,
    payments: PaymentArgs,
) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "akinai_server=info,tower_http=warn".into()),
        )
        .init();
    // Read before anything else: a wrong path should stop the start, not the first request.
    let tls = match (&tls.tls_cert, &tls.tls_key) {
        (Some(cert), Some(key)) => Some(
            RustlsConfig::from_pem_file(cert, key)
                .await
                .with_context(|| format!("reading {} and {}", cert.display(), key.display()))?,
        ),
        _ => None,
    };
    let sealer = match (&payments.secrets_key, db.target()) {
        (Some(file), _) => Sealer::from_file(file, false)?,
        (None, database::Target::Sqlite(path)) => {
            Sealer::from_file(&default_key_file(Some(&path)), true)?
        }
        (None, database::Target::Postgres(_)) => Sealer::from_file(&default_key_file(None), true)?,
    };
    let http = engine::http_client(payments.ca_file.as_deref())?;
    let database = open(&db).await?;
    let engine = engine::Engine::new(database.clone(), sealer, http, Timeouts::default())
        .stand_ins(payments.paypay_stand_in.is_some());
    let https = tls.is_some();
    let state = AppState { max_sale, https, ..AppState::new(database) }.with_payments(engine);
    if demo {
        let password = std::env::var("AKINAI_DEMO_PASSWORD").ok().filter(|p| !p.is_empty());
        let start = demo::load_demo(&state, password.as_deref()).await?;
        if start.loaded {
            println!("Demo shop loaded; its sample sales are landing in the background.");
        }
        // Shown only now: the database keeps only their hashes.
        println!("Demo owner (/owner): {} / {}", demo::DEMO_EMAIL, start.password);
        println!("Demo tablet (店長): PIN {}", start.pin);
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(err) = demo::add_sample_sales(&state).await {
                tracing::error!(error = %err, "the demo's sample sales did not land");
            }
        });
    }
    if let Some(url) = &payments.paypay_stand_in {
        demo::use_stand_in(&state, url).await?;
        println!("Demo store's PayPay: the stand-in at {url}");
    }
    let resumed = state.payments.resume().await?;
    if resumed > 0 {
        println!("Taking up {resumed} unfinished QR payments and refunds.");
    }
    let scheme = if tls.is_some() { "https" } else { "http" };
    let mut app = router(state, &app_dir);
    if tls.is_some() {
        // The pairing QR code's link takes its scheme from what a TLS proxy would say; served
        // over TLS here, that is true of every request, whatever a client claims.
        app = app.layer(SetRequestHeaderLayer::overriding(
            HeaderName::from_static("x-forwarded-proto"),
            HeaderValue::from_static("https"),
        ));
    }
    // The client's address is what sign-in and pairing attempts are limited by.
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    let handle = axum_server::Handle::new();
    let serving = {
        let handle = handle.clone();
        tokio::spawn(async move {
            match tls {
                Some(tls) => axum_server::bind_rustls(addr, tls).handle(handle).serve(app).await,
                None => axum_server::bind(addr).handle(handle).serve(app).await,
            }
        })
    };
    // None when binding failed; the task's error then says why.
    if let Some(bound) = handle.listening().await {
        println!("Akinai is serving on {scheme}://{bound}/");
        tokio::spawn(async move {
            // If the signal cannot be watched, keep serving until killed. Open live-event
            // streams never end by themselves, so they get a few seconds, not forever.
            if tokio::signal::ctrl_c().await.is_ok() {
                handle.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
            }
        });
    }
    serving.await?.with_context(|| format!("listening on {addr}"))?;
    Ok(())
}
