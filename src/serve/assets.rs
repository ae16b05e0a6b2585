//! The web workspace's static files, embedded in the binary: the page shell served for every
//! workspace route (`/`, `/search`, `/trends`, `/customer/{id}`, `/explain`, `/alerts`) and the
//! scripts and stylesheet served under `/assets/`. Plain ES modules with no build step; all data
//! comes from `/api/*`.

/// The page shell: the same document for every workspace route (routing happens in the browser).
pub const INDEX_HTML: &str = include_str!("web/index.html");

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file under `/assets/`: name, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", CSS, include_bytes!("web/app.css")),
    ("boot.js", JS, include_bytes!("web/boot.js")),
    ("app.js", JS, include_bytes!("web/app.js")),
    ("i18n.js", JS, include_bytes!("web/i18n.js")),
    ("api.js", JS, include_bytes!("web/api.js")),
    ("dom.js", JS, include_bytes!("web/dom.js")),
    ("search.js", JS, include_bytes!("web/search.js")),
    ("trends.js", JS, include_bytes!("web/trends.js")),
    ("customer.js", JS, include_bytes!("web/customer.js")),
    ("explain.js", JS, include_bytes!("web/explain.js")),
    ("alerts.js", JS, include_bytes!("web/alerts.js")),
];

/// The content type and bytes of the asset `name` (the part of the path after `/assets/`, such as
/// `app.js`), or `None` when there is no such asset.
///
/// # Examples
///
/// ```
/// let (content_type, bytes) = kashev::serve::assets::asset("app.js").unwrap();
/// assert!(content_type.starts_with("text/javascript"));
/// assert!(!bytes.is_empty());
/// assert!(kashev::serve::assets::asset("../Cargo.toml").is_none());
/// ```
pub fn asset(name: &str) -> Option<(&'static str, &'static [u8])> {
    ASSETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, content_type, bytes)| (content_type, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_the_page_loads_is_embedded() {
        for name in ["app.css", "boot.js", "app.js"] {
            assert!(
                INDEX_HTML.contains(&format!("/assets/{name}")),
                "index.html loads {name}"
            );
        }
        // Each module's imports name embedded files.
        for (name, _, bytes) in ASSETS {
            let text = std::str::from_utf8(bytes).unwrap();
            for line in text.lines().filter(|l| l.contains(" from \"./")) {
                let import = line.split("from \"./").nth(1).unwrap();
                let file = &import[..import.find('"').unwrap()];
                assert!(asset(file).is_some(), "{name} imports {file}, not embedded");
            }
        }
    }

    #[test]
    fn unknown_names_are_not_found() {
        assert!(asset("").is_none());
        assert!(asset("nope.js").is_none());
        assert!(asset("/app.js").is_none());
    }
}
