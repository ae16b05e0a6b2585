//! The web workspace's static files, embedded in the binary.

/// The page every workspace route serves; the script routes on the client.
pub const INDEX_HTML: &str = include_str!("web/index.html");

/// A file under `/assets/`: its content type and bytes.
pub fn asset(name: &str) -> Option<(&'static str, &'static [u8])> {
    match name {
        "app.js" => Some((
            "text/javascript; charset=utf-8",
            include_bytes!("web/app.js"),
        )),
        "app.css" => Some(("text/css; charset=utf-8", include_bytes!("web/app.css"))),
        _ => None,
    }
}
