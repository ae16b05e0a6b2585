//! The routes: the JSON API under `/api/`, the workspace pages and their assets, and the gate every
//! request passes (log, time limit, authentication).

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Extension, Path, RawQuery, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::subscriptions::{self as edit, EditError, FieldProblem};
use super::{App, Grant, assets};
use crate::analyze::Analysis;
use crate::classify::Scratch;
use crate::error::Error;
use crate::index::customer::{CustomerRequest, DEFAULT_LIMIT, DEFAULT_REPEAT_DAYS, days};
use crate::index::search::{SearchRequest, Sort, parse_risk, parse_when};
use crate::index::trends::{Interval, TrendBy, TrendsRequest};
use crate::report::{JsonHit, JsonResults, JsonTrends, JsonView, explain_json, store_status_json};

/// The OpenAPI description of this API.
const OPENAPI: &str = include_str!("openapi.json");

/// The most results a search page may hold.
const MAX_LIMIT: usize = 200;

/// How deep paging may go (offset + limit).
const MAX_WINDOW: usize = 10_000;

/// The most records a customer view may list.
const MAX_CUSTOMER_LIMIT: usize = 1_000;

/// The longest text `explain` takes, in bytes.
const MAX_EXPLAIN_BYTES: usize = 64 << 10;

/// The caller, as the gate found it: `None` for an anonymous caller of a server with tokens
/// (who may only ask `/api/me`).
#[derive(Clone)]
struct Caller(Option<Grant>);

/// An error answer: a status and `{"error": {"message", "field"?, "column"?, "problems"?}}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    field: Option<String>,
    column: Option<usize>,
    problems: Vec<FieldProblem>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            field: None,
            column: None,
            problems: Vec::new(),
        }
    }

    fn bad(field: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::new(StatusCode::BAD_REQUEST, message)
        }
    }

    fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::Request {
                field,
                column,
                message,
            } => ApiError {
                field: Some(if field == "query" { "q".into() } else { field }),
                column,
                ..ApiError::new(StatusCode::BAD_REQUEST, message)
            },
            Error::Config { problems } => ApiError {
                problems: problems
                    .into_iter()
                    .map(|message| FieldProblem {
                        field: String::new(),
                        message,
                    })
                    .collect(),
                ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid configuration")
            },
            e if e.is_usage() => ApiError::new(StatusCode::BAD_REQUEST, e.to_string()),
            e => ApiError::internal(e.to_string()),
        }
    }
}

impl From<EditError> for ApiError {
    fn from(e: EditError) -> ApiError {
        match e {
            EditError::Invalid(problems) => ApiError {
                field: problems
                    .first()
                    .map(|p| p.field.clone())
                    .filter(|f| !f.is_empty()),
                problems,
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "the subscription is not valid",
                )
            },
            EditError::Exists(name) => ApiError {
                field: Some("name".into()),
                ..ApiError::new(
                    StatusCode::CONFLICT,
                    format!("a subscription named '{name}' exists"),
                )
            },
            EditError::NotFound(name) => ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no subscription named '{name}'"),
            ),
            EditError::Conflict(message) => ApiError::new(StatusCode::CONFLICT, message),
            EditError::File(e) => ApiError::from(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({ "message": self.message });
        if let Some(field) = self.field {
            error["field"] = json!(field);
        }
        if let Some(column) = self.column {
            error["column"] = json!(column);
        }
        if !self.problems.is_empty() {
            error["problems"] = json!(self.problems);
        }
        let mut response = (self.status, axum::Json(json!({ "error": error }))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"kashev\""),
            );
        }
        response
    }
}

type ApiResult<T = axum::Json<Value>> = std::result::Result<T, ApiError>;

/// Runs index or store work on the blocking pool, at most as many at once as the server has
/// permits (one per core): more would only share the cores and raise every request's latency.
async fn blocking<T: Send + 'static>(
    permits: Arc<tokio::sync::Semaphore>,
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let permit = permits
        .acquire_owned()
        .await
        .map_err(|e| ApiError::internal(format!("request worker failed: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f()
    })
    .await
    .map_err(|e| ApiError::internal(format!("request worker failed: {e}")))?
}

pub(crate) fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/api/me", get(me))
        .route("/api/openapi.json", get(openapi))
        .route("/api/search", get(search))
        .route("/api/trends", get(trends))
        .route("/api/customers/{id}", get(customer))
        .route("/api/explain", axum::routing::post(explain))
        .route("/api/labels", get(labels))
        .route("/api/stats", get(stats))
        .route(
            "/api/subscriptions",
            get(list_subscriptions).post(create_subscription),
        )
        .route(
            "/api/subscriptions/{name}",
            get(get_subscription)
                .put(replace_subscription)
                .delete(delete_subscription),
        )
        .route("/api/alerts", get(alerts))
        .route("/api/alerts/status", get(alerts_status))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed);
    let pages = Router::new()
        .route("/", get(page))
        .route("/search", get(page))
        .route("/trends", get(page))
        .route("/customer/{id}", get(page))
        .route("/explain", get(page))
        .route("/alerts", get(page))
        .route("/assets/{*name}", get(asset))
        .fallback(page_not_found);
    api.merge(pages)
        .layer(DefaultBodyLimit::max(app.settings.body_limit))
        .layer(middleware::from_fn_with_state(app.clone(), gate))
        .with_state(app)
}

/// Logs, limits time, and authenticates `/api/` requests.
async fn gate(State(app): State<Arc<App>>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("").to_string());
    let (caller, refused) = if path.starts_with("/api/") {
        authenticate(&app, presented.as_deref(), &path)
    } else {
        (Caller(None), None)
    };
    let who = caller
        .0
        .as_ref()
        .map_or_else(|| "-".to_string(), |g| g.name.clone());
    let response = match refused {
        Some(e) => e.into_response(),
        None => {
            request.extensions_mut().insert(caller);
            match tokio::time::timeout(app.settings.request_timeout, next.run(request)).await {
                Ok(response) => response,
                Err(_) => ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!(
                        "the request took longer than {} s",
                        app.settings.request_timeout.as_secs_f64()
                    ),
                )
                .into_response(),
            }
        }
    };
    if app.settings.log_requests {
        eprintln!(
            "{} {method} {path} {} {:.1}ms {who}",
            jiff::Timestamp::now()
                .round(jiff::Unit::Millisecond)
                .unwrap_or_else(|_| jiff::Timestamp::now()),
            response.status().as_u16(),
            started.elapsed().as_secs_f64() * 1e3,
        );
    }
    response
}

/// The caller's grant, or the refusal to answer.
fn authenticate(app: &App, presented: Option<&str>, path: &str) -> (Caller, Option<ApiError>) {
    let open = path == "/api/me" || path == "/api/openapi.json";
    match presented {
        None if app.tokens.is_empty() => (Caller(Some(Grant::local())), None),
        None if open => (Caller(None), None),
        None => (
            Caller(None),
            Some(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "this server needs an API token: send 'Authorization: Bearer TOKEN'",
            )),
        ),
        Some(value) => {
            let token = value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
                .map(str::trim);
            match token.and_then(|t| app.tokens.check(t)) {
                Some(grant) => (Caller(Some(grant.clone())), None),
                None if app.tokens.is_empty() => (
                    Caller(None),
                    Some(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "this server has no API tokens; send no Authorization header",
                    )),
                ),
                None => (
                    Caller(None),
                    Some(ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "the API token is not valid",
                    )),
                ),
            }
        }
    }
}

fn need_read(caller: &Caller) -> ApiResult<Grant> {
    match &caller.0 {
        Some(g) if g.read => Ok(g.clone()),
        Some(_) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this token may not read",
        )),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "this server needs an API token",
        )),
    }
}

fn need_admin(caller: &Caller) -> ApiResult<Grant> {
    let grant = need_read(caller)?;
    if grant.admin {
        Ok(grant)
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "editing subscriptions needs a token with the admin scope",
        ))
    }
}

/// A query string's parameters, checked against the names an endpoint takes.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: Option<&str>, allowed: &[&str]) -> ApiResult<Params> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .into_owned()
            .collect();
        for (k, _) in &pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::bad(
                    k,
                    format!(
                        "unknown parameter '{k}' (this endpoint takes: {})",
                        allowed.join(", ")
                    ),
                ));
            }
        }
        Ok(Params(pairs))
    }

    /// Every non-empty value of a repeatable parameter (also split at commas).
    fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The value of a single parameter (empty counts as absent).
    fn one(&self, key: &str) -> ApiResult<Option<&str>> {
        let mut values = self
            .0
            .iter()
            .filter(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad(
                key,
                format!("'{key}' is given more than once"),
            ));
        }
        Ok(first)
    }

    fn number(&self, key: &str, default: usize, max: usize) -> ApiResult<usize> {
        match self.one(key)? {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                Ok(_) => Err(ApiError::bad(key, format!("'{key}' is at most {max}"))),
                Err(_) => Err(ApiError::bad(
                    key,
                    format!("'{key}' must be a whole number, not '{v}'"),
                )),
            },
        }
    }

    fn flag(&self, key: &str, default: bool) -> ApiResult<bool> {
        match self.one(key)? {
            None => Ok(default),
            Some("true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(v) => Err(ApiError::bad(
                key,
                format!("'{key}' is true or false, not '{v}'"),
            )),
        }
    }

    fn when(&self, key: &str) -> ApiResult<Option<jiff::Timestamp>> {
        self.one(key)?
            .map(|v| parse_when(v).map_err(|e| ApiError::bad(key, e)))
            .transpose()
    }
}

const FILTERS: [&str; 9] = [
    "q",
    "label",
    "label_prefix",
    "channel",
    "customer",
    "sentiment",
    "since",
    "until",
    "min_churn_risk",
];

/// The query and filters shared by search and trends.
fn filters(p: &Params) -> ApiResult<SearchRequest> {
    let sentiments = p.all("sentiment");
    if let Some(bad) = sentiments
        .iter()
        .find(|s| !["positive", "negative", "neutral"].contains(&s.as_str()))
    {
        return Err(ApiError::bad(
            "sentiment",
            format!("'{bad}' is not a sentiment (positive, negative, neutral)"),
        ));
    }
    let since = p.when("since")?;
    let until = p.when("until")?;
    if let (Some(s), Some(u)) = (since, until)
        && s >= u
    {
        return Err(ApiError::bad("until", "'until' is not after 'since'"));
    }
    Ok(SearchRequest {
        query: p.one("q")?.unwrap_or("").to_string(),
        labels: p.all("label"),
        label_prefixes: p.all("label_prefix"),
        channels: p.all("channel"),
        customers: p.all("customer"),
        sentiments,
        since,
        until,
        min_churn_risk: p
            .one("min_churn_risk")?
            .map(|v| parse_risk(v).map_err(|e| ApiError::bad("min_churn_risk", e)))
            .transpose()?,
        ..SearchRequest::default()
    })
}

fn allowed(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = FILTERS.to_vec();
    v.extend_from_slice(extra);
    v
}

async fn me(State(app): State<Arc<App>>, Extension(caller): Extension<Caller>) -> ApiResult {
    let (scopes, pii, name) = match &caller.0 {
        Some(g) => (g.scopes(), g.pii, Some(g.name.clone())),
        None => (Vec::new(), false, None),
    };
    Ok(axum::Json(json!({
        "auth_required": !app.tokens.is_empty(),
        "name": name,
        "scopes": scopes,
        "pii": pii,
        "subscriptions": app.subscriptions.is_some(),
        "version": env!("CARGO_PKG_VERSION"),
    })))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn search(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let grant = need_read(&caller)?;
    let p = Params::parse(
        raw.as_deref(),
        &allowed(&["limit", "offset", "sort", "facets"]),
    )?;
    let limit = p.number("limit", 20, MAX_LIMIT)?.max(1);
    let offset = p.number("offset", 0, MAX_WINDOW)?;
    if offset + limit > MAX_WINDOW {
        return Err(ApiError::bad(
            "offset",
            format!("results past the first {MAX_WINDOW} are not paged: narrow the query"),
        ));
    }
    let sort = match p.one("sort")? {
        None => None,
        Some("relevance") => Some(Sort::Relevance),
        Some("time") => Some(Sort::Time),
        Some(v) => {
            return Err(ApiError::bad(
                "sort",
                format!("'sort' is relevance or time, not '{v}'"),
            ));
        }
    };
    let request = SearchRequest {
        limit,
        offset,
        sort,
        facets: p.flag("facets", true)?,
        ..filters(&p)?
    };
    blocking(app.work.clone(), move || {
        let searcher = app.reader.searcher();
        let mut results = app.index.search(&searcher, &request)?;
        if !grant.pii {
            let mut analysis = Analysis::new();
            for hit in &mut results.hits {
                hit.doc
                    .mask_pii(app.index.lexicon().analyzer(), &mut analysis);
            }
        }
        let json = JsonResults {
            query: &request.query,
            total: results.total,
            offset,
            sort: results.sort,
            hits: results.hits.iter().map(JsonHit::from).collect(),
        };
        let mut value = serde_json::to_value(&json).map_err(Error::from)?;
        value["limit"] = json!(limit);
        if let Some(facets) = &results.facets {
            let mut map = serde_json::Map::new();
            for (name, counts) in facets {
                map.insert((*name).to_string(), json!(counts));
            }
            value["facets"] = Value::Object(map);
        }
        Ok(axum::Json(value))
    })
    .await
}

async fn trends(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    need_read(&caller)?;
    let p = Params::parse(
        raw.as_deref(),
        &allowed(&["by", "interval", "evidence", "format"]),
    )?;
    let by = match p.one("by")?.unwrap_or("label") {
        "label" => TrendBy::Label,
        "label-group" | "label_group" | "group" => TrendBy::LabelGroup,
        "channel" => TrendBy::Channel,
        "sentiment" => TrendBy::Sentiment,
        v => {
            return Err(ApiError::bad(
                "by",
                format!("'by' is label, label-group, channel or sentiment, not '{v}'"),
            ));
        }
    };
    let interval = match p.one("interval")?.unwrap_or("week") {
        "day" => Interval::Day,
        "week" => Interval::Week,
        "month" => Interval::Month,
        v => {
            return Err(ApiError::bad(
                "interval",
                format!("'interval' is day, week or month, not '{v}'"),
            ));
        }
    };
    let csv = match p.one("format")?.unwrap_or("json") {
        "json" => false,
        "csv" => true,
        v => {
            return Err(ApiError::bad(
                "format",
                format!("'format' is json or csv, not '{v}'"),
            ));
        }
    };
    let request = TrendsRequest {
        search: filters(&p)?,
        by,
        interval,
        evidence: p.flag("evidence", true)?,
        ..TrendsRequest::default()
    };
    blocking(app.work.clone(), move || {
        let searcher = app.reader.searcher();
        let trends = app.index.trends(&searcher, &request)?;
        if csv {
            let mut out = Vec::new();
            crate::report::write_trends_csv(&mut out, &trends)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            let name = format!(
                "attachment; filename=\"kashev-trends-{}-{}.csv\"",
                trends.by.name(),
                trends.interval.name()
            );
            let mut response =
                ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response();
            if let Ok(v) = HeaderValue::from_str(&name) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, v);
            }
            return Ok(response);
        }
        let value =
            serde_json::to_value(JsonTrends::new(&trends, &request)).map_err(Error::from)?;
        Ok(axum::Json(value).into_response())
    })
    .await
}

async fn customer(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let grant = need_read(&caller)?;
    let p = Params::parse(raw.as_deref(), &["limit", "repeat_days", "since", "until"])?;
    let repeat_days = p.number("repeat_days", DEFAULT_REPEAT_DAYS as usize, 3650)? as u32;
    let request = CustomerRequest {
        since: p.when("since")?,
        until: p.when("until")?,
        repeat_window: days(repeat_days),
        limit: p.number("limit", DEFAULT_LIMIT, MAX_CUSTOMER_LIMIT)?,
        ..CustomerRequest::new(id)
    };
    blocking(app.work.clone(), move || {
        let searcher = app.reader.searcher();
        let mut view = app.index.customer(&searcher, &request)?;
        if view.total == 0 {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no records for customer '{}'", request.customer_id),
            ));
        }
        if !grant.pii {
            let mut analysis = Analysis::new();
            for r in &mut view.records {
                r.doc
                    .mask_pii(app.index.lexicon().analyzer(), &mut analysis);
            }
        }
        let value = serde_json::to_value(JsonView::new(&view, repeat_days)).map_err(Error::from)?;
        Ok(axum::Json(value))
    })
    .await
}

/// Reads a JSON body, turning every failure into an API error.
fn json_body(body: Result<Bytes, BytesRejection>) -> ApiResult<Value> {
    let bytes = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad("body", format!("the body is not valid JSON: {e}")))
}

async fn explain(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    need_read(&caller)?;
    let body = json_body(body)?;
    let Some(text) = body.get("text").and_then(Value::as_str) else {
        return Err(ApiError::bad("text", "'text' (a string) is required"));
    };
    if text.len() > MAX_EXPLAIN_BYTES {
        return Err(ApiError::bad(
            "text",
            format!("'text' is longer than {} KiB", MAX_EXPLAIN_BYTES >> 10),
        ));
    }
    let lang = match body.get("lang") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if ["he", "en", "mixed", "und"].contains(&s.as_str()) => {
            Some(s.clone())
        }
        Some(_) => {
            return Err(ApiError::bad(
                "lang",
                "'lang' is he, en, mixed, und or null",
            ));
        }
    };
    let text = text.to_string();
    blocking(app.work.clone(), move || {
        let mut scratch = Scratch::new();
        let explanation = app.classifier.explain(&text, lang.as_deref(), &mut scratch);
        Ok(axum::Json(explain_json(
            &text,
            &explanation,
            &app.classifier,
            &scratch,
        )))
    })
    .await
}

async fn labels(State(app): State<Arc<App>>, Extension(caller): Extension<Caller>) -> ApiResult {
    need_read(&caller)?;
    let labels: Vec<Value> = app
        .index
        .lexicon()
        .labels()
        .iter()
        .filter(|l| l.modifier().is_none())
        .map(|l| {
            json!({
                "label": l.name(),
                "group": l.group().as_str(),
                "he": l.description_he(),
                "en": l.description_en(),
            })
        })
        .collect();
    Ok(axum::Json(json!({ "labels": labels })))
}

async fn stats(State(app): State<Arc<App>>, Extension(caller): Extension<Caller>) -> ApiResult {
    need_read(&caller)?;
    blocking(app.work.clone(), move || {
        let searcher = app.reader.searcher();
        let size_bytes: u64 = std::fs::read_dir(app.index.dir())
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.metadata().ok())
                    .filter(std::fs::Metadata::is_file)
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        let info = app.index.info();
        Ok(axum::Json(json!({
            "docs": searcher.num_docs(),
            "generation": searcher.generation().generation_id(),
            "segments": searcher.segment_readers().len(),
            "size_bytes": size_bytes,
            "schema_version": info.map(|i| i.schema_version),
            "lexicon_fingerprint": info.map(|i| i.lexicon.clone()),
            "lexicon": app.index.lexicon().fingerprint().to_string(),
            "lexicon_mismatch": app.index.lexicon_mismatch(),
        })))
    })
    .await
}

fn subscriptions_path(app: &App) -> ApiResult<std::path::PathBuf> {
    app.subscriptions.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "this server was started without --subscriptions FILE",
        )
    })
}

/// A subscription as a caller may see it: without the webhook's URL unless they may edit it (the
/// path of a webhook URL is often a credential).
fn shown(mut s: Value, grant: &Grant) -> Value {
    if !grant.admin
        && let Some(d) = s.get_mut("destination").and_then(Value::as_object_mut)
        && d.contains_key("url")
    {
        d.insert("url".into(), json!("(hidden: needs the admin scope)"));
    }
    s
}

async fn list_subscriptions(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    let grant = need_read(&caller)?;
    let path = subscriptions_path(&app)?;
    blocking(app.work.clone(), move || {
        let items = edit::list(&path, app.index.lexicon())?;
        let items: Vec<Value> = items.into_iter().map(|s| shown(s, &grant)).collect();
        Ok(axum::Json(json!({
            "file": path.display().to_string(),
            "subscriptions": items,
        })))
    })
    .await
}

async fn get_subscription(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> ApiResult {
    let grant = need_read(&caller)?;
    let path = subscriptions_path(&app)?;
    blocking(app.work.clone(), move || {
        let items = edit::list(&path, app.index.lexicon())?;
        items
            .into_iter()
            .find(|s| s.get("name").and_then(Value::as_str) == Some(&name))
            .map(|s| axum::Json(shown(s, &grant)))
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("no subscription named '{name}'"),
                )
            })
    })
    .await
}

/// Makes one edit of the subscriptions file, one edit at a time (callers check the admin scope
/// first, before reading a body).
async fn edit_subscriptions(
    app: &Arc<App>,
    edit: impl FnOnce(&std::path::Path, &crate::lexicon::Lexicon) -> Result<(), EditError>
    + Send
    + 'static,
) -> ApiResult<()> {
    let path = subscriptions_path(app)?;
    let _guard = app.edit.lock().await;
    let app2 = app.clone();
    blocking(app.work.clone(), move || {
        Ok(edit(&path, app2.index.lexicon())?)
    })
    .await
}

async fn create_subscription(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    need_admin(&caller)?;
    let value = json_body(body)?;
    let created = value.clone();
    edit_subscriptions(&app, move |path, lexicon| {
        edit::create(path, &value, lexicon)
    })
    .await?;
    Ok((StatusCode::CREATED, axum::Json(created)).into_response())
}

async fn replace_subscription(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    need_admin(&caller)?;
    let value = json_body(body)?;
    let replaced = value.clone();
    edit_subscriptions(&app, move |path, lexicon| {
        edit::replace(path, &name, &value, lexicon)
    })
    .await?;
    Ok(axum::Json(replaced))
}

async fn delete_subscription(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    need_admin(&caller)?;
    edit_subscriptions(&app, move |path, lexicon| {
        edit::delete(path, &name, lexicon)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Opens the alert store for reading, or `None` when there is none yet.
fn open_store(app: &App) -> ApiResult<Option<crate::alerts::store::Store>> {
    if !app.state.exists() {
        return Ok(None);
    }
    Ok(Some(crate::alerts::store::Store::open(&app.state)?))
}

async fn alerts(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let grant = need_read(&caller)?;
    let p = Params::parse(raw.as_deref(), &["limit", "subscription"])?;
    let limit = p.number("limit", 50, 1_000)?;
    let subscription = p.one("subscription")?.map(str::to_string);
    blocking(app.work.clone(), move || {
        let Some(store) = open_store(&app)? else {
            return Ok(axum::Json(json!({ "alerts": [] })));
        };
        // Read more than asked when filtering by subscription, so a quiet one still shows.
        let read = if subscription.is_some() {
            limit * 20
        } else {
            limit
        };
        let mut analysis = Analysis::new();
        let analyzer = app.index.lexicon().analyzer();
        let alerts: Vec<Value> = store
            .ledger(read)?
            .into_iter()
            .filter(|e| subscription.as_ref().is_none_or(|s| *s == e.subscription))
            .take(limit)
            .map(|e| {
                let mut payload: Value =
                    serde_json::from_str(&e.payload).unwrap_or(Value::String(e.payload.clone()));
                if !grant.pii {
                    crate::analyze::pii::mask_json(analyzer, &mut payload, &mut analysis);
                }
                json!({
                    "alert_id": e.alert_id,
                    "subscription": e.subscription,
                    "customer_id": e.customer,
                    "rule": e.rule,
                    "first_seen": e.first_seen.to_string(),
                    "last_seen": e.last_seen.to_string(),
                    "updates": e.updates,
                    "payload": payload,
                })
            })
            .collect();
        Ok(axum::Json(json!({ "alerts": alerts })))
    })
    .await
}

async fn alerts_status(
    State(app): State<Arc<App>>,
    Extension(caller): Extension<Caller>,
) -> ApiResult {
    need_read(&caller)?;
    blocking(app.work.clone(), move || match open_store(&app)? {
        Some(store) => Ok(axum::Json(store_status_json(&store)?)),
        None => Ok(axum::Json(json!({
            "state": app.state.display().to_string(),
            "alerts": 0, "pending": 0, "delivered": 0, "dead": 0,
            "next_attempt_at": null, "subscriptions": {}, "retrying": [], "dead_letters": [],
        }))),
    })
    .await
}

async fn api_not_found(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no such endpoint: {} (see /api/openapi.json)",
            request.uri().path()
        ),
    )
}

async fn method_not_allowed(method: Method, request: Request<Body>) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not allowed on {}", request.uri().path()),
    )
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        assets::INDEX_HTML,
    )
        .into_response()
}

async fn asset(Path(name): Path<String>) -> Response {
    match assets::asset(&name) {
        Some((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn page_not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}
