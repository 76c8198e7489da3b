//! The e-receipt pages as HTML: the receipt, "it will appear shortly", the bare 404 and the
//! 429. No script and nothing fetched: the one inline style sheet ([`STYLE`]) is allowed by its
//! hash ([`style_source`]), the language switcher is plain links.

use std::fmt::Write as _;

use akinai_core::sale::Sale;
use akinai_i18n::receipt::{DocLine, DocRow, document};
use akinai_i18n::{Label, Lang};

use crate::http::html::{escape, hash_source};

/// The pages' one style sheet, inline (phones at 390 px, printing to PDF).
pub const STYLE: &str = include_str!("page.css");

/// The CSP source that allows [`STYLE`].
pub fn style_source() -> String {
    hash_source(STYLE)
}

/// An e-receipt page written in `lang` (`None`: in every language, the 404).
#[derive(Debug)]
pub struct ReceiptPage {
    /// Its language.
    pub lang: Option<Lang>,
    /// The whole document.
    pub html: String,
}

/// The document around `body`: `<html lang>`, the style sheet, `head_extra` in the head.
fn document_html(lang: &str, title: &str, head_extra: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow, noarchive\">{head_extra}\n\
         <title>{title}</title>\n<style>{STYLE}</style></head>\n<body>\n{body}</body></html>\n",
        title = escape(title),
    )
}

/// Links to the same page in every language, each named in its own script.
fn switcher(current: Lang) -> String {
    let mut links = String::new();
    for &lang in Lang::all() {
        let tag = lang.tag();
        let current = if lang == current { " aria-current=\"page\"" } else { "" };
        let _ = write!(
            links,
            "<li><a href=\"?lang={tag}\" hreflang=\"{tag}\" lang=\"{tag}\"{current}>{}</a></li>",
            escape(lang.own_name()),
        );
    }
    format!("<nav aria-label=\"{}\"><ul>{links}</ul></nav>\n", escape(&current.text("language")))
}

/// A legal label: the Japanese, and the reader's language beside it.
fn label(label: &Label) -> String {
    let ja = format!("<span lang=\"ja\">{}</span>", escape(&label.ja));
    match &label.local {
        Some(local) => format!("{ja}<span class=\"local\">{}</span>", escape(local)),
        None => ja,
    }
}

/// Rows of labels and values.
fn rows(rows: &[DocRow]) -> String {
    let mut html = String::new();
    for row in rows {
        let _ = write!(
            html,
            "<tr class=\"{}\"><td>{}</td><td>{}</td></tr>",
            escape(row.class),
            label(&row.label),
            escape(&row.value),
        );
    }
    html
}

/// A receipt line: its name (a translation with the Japanese below it, else the Japanese name,
/// romanised when it has a reading), reduced mark, exempt mark, unit price × quantity, amount,
/// and its own discount.
fn line(line: &DocLine, lang: Lang) -> String {
    let mark = if line.reduced { " ※" } else { "" };
    let exempt = if line.exempt {
        format!(" ({})", label(&lang.legal("exempt-short")))
    } else {
        String::new()
    };
    // The marks follow the name the reader reads, before the Japanese one below it.
    let name = match &line.name_ja {
        Some(ja) => format!(
            "{}{mark}{exempt}<span class=\"ja-name\" lang=\"ja\">{}</span>",
            escape(&line.name),
            escape(ja)
        ),
        None => format!("<span lang=\"ja\">{}</span>{mark}{exempt}", escape(&line.name)),
    };
    let mut html = format!(
        "<tr><td>{name}<span class=\"qty\">{}</span></td><td>{}</td></tr>",
        escape(&line.qty),
        escape(&line.amount),
    );
    if let Some(discount) = &line.discount {
        html.push_str(&rows(std::slice::from_ref(discount)));
    }
    html
}

/// The receipt of `sale` in `lang`, as the register prints it.
pub fn receipt(sale: &Sale, lang: Lang) -> ReceiptPage {
    let doc = document(sale, lang);
    let mut body = switcher(lang);
    body.push_str("<main>\n<div class=\"issuer\">");
    let _ = write!(body, "<h1 lang=\"ja\">{}</h1>", escape(&doc.issuer.name));
    if !doc.issuer.address.is_empty() {
        let _ = write!(body, "<p lang=\"ja\">{}</p>", escape(&doc.issuer.address));
    }
    if !doc.issuer.phone.is_empty() {
        let _ = write!(body, "<p>TEL {}</p>", escape(&doc.issuer.phone));
    }
    let (registration, number) = &doc.issuer.registration;
    let _ = writeln!(body, "<p>{} {}</p></div>", label(registration), escape(number));
    let _ = writeln!(body, "<h2>{}</h2>", label(&doc.title));
    let _ = writeln!(body, "<table class=\"meta\">{}</table>", rows(&doc.meta));
    let lines: String = doc.lines.iter().map(|l| line(l, lang)).collect();
    let _ = writeln!(body, "<table class=\"lines\">{lines}</table>");
    let _ = writeln!(body, "<table class=\"totals\">{}</table>", rows(&doc.totals));
    if !doc.tenders.is_empty() {
        let _ = writeln!(body, "<table class=\"tenders\">{}</table>", rows(&doc.tenders));
    }
    if !doc.notes.is_empty() {
        let notes: String =
            doc.notes.iter().map(|note| format!("<li>{}</li>", label(note))).collect();
        let _ = writeln!(body, "<ul class=\"notes\">{notes}</ul>");
    }
    if !doc.footer.is_empty() {
        let _ = writeln!(body, "<p class=\"footer\" lang=\"ja\">{}</p>", escape(&doc.footer));
    }
    body.push_str("</main>\n");
    let _ = writeln!(body, "<p class=\"about\">{}</p>", escape(&lang.text("ereceipt-about")));
    let title = format!("{} · {}", lang.text("ereceipt-title"), doc.issuer.name);
    ReceiptPage { lang: Some(lang), html: document_html(lang.tag(), &title, "", &body) }
}

/// "This receipt will appear shortly", in `lang`, reloading itself every 30 seconds.
pub fn pending(lang: Lang) -> ReceiptPage {
    let title = lang.text("ereceipt-pending-title");
    let body = format!(
        "{}<main>\n<h2>{}</h2>\n<p>{}</p>\n</main>\n",
        switcher(lang),
        escape(&title),
        escape(&lang.text("ereceipt-pending")),
    );
    let refresh = "\n<meta http-equiv=\"refresh\" content=\"30\">";
    ReceiptPage { lang: Some(lang), html: document_html(lang.tag(), &title, refresh, &body) }
}

/// The bare 404: "not found" in every language and nothing else, the same for every miss.
pub fn not_found() -> ReceiptPage {
    ReceiptPage { lang: None, html: every_language("ereceipt-not-found") }
}

/// The 429: "too many requests" in every language (the wait is in `Retry-After`).
pub fn too_many() -> ReceiptPage {
    ReceiptPage { lang: None, html: every_language("ereceipt-too-many") }
}

/// A page saying message `id` in every language, Japanese first.
fn every_language(id: &str) -> String {
    let mut body = String::from("<main>\n");
    for &lang in Lang::all() {
        let _ = writeln!(body, "<p lang=\"{}\">{}</p>", lang.tag(), escape(&lang.text(id)));
    }
    body.push_str("</main>\n");
    document_html(Lang::JA.tag(), &Lang::JA.text(id), "", &body)
}
