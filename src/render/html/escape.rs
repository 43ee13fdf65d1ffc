//! Escaping for each place data goes in the page: HTML text and quoted attributes, JSON inside a
//! `<script type="application/json">`, and links.

/// Escapes `s` for HTML text or a double- or single-quoted attribute value.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `value` as JSON that cannot end the `<script>` element holding it or start a comment or
/// markup in it: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026` (they only occur inside
/// JSON strings, where those escapes mean the same), and U+2028/U+2029 are escaped for old
/// parsers.
pub fn script_json<T: serde::Serialize>(value: &T) -> String {
    let mut out = ScriptSafe(Vec::new());
    // Serialising report data into memory cannot fail: no map has non-string keys.
    if serde_json::to_writer(&mut out, value).is_err() {
        return "null".to_owned();
    }
    // Only ASCII was replaced by ASCII in valid UTF-8 from serde_json.
    String::from_utf8(out.0).unwrap_or_else(|_| "null".to_owned())
}

/// Escapes the characters above as serde_json writes them (it writes whole characters).
struct ScriptSafe(Vec<u8>);

impl std::io::Write for ScriptSafe {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0;
        let mut i = 0;
        while i < buf.len() {
            let escape: Option<(&[u8], usize)> = match buf[i] {
                b'<' => Some((b"\\u003c", 1)),
                b'>' => Some((b"\\u003e", 1)),
                b'&' => Some((b"\\u0026", 1)),
                0xE2 if buf.get(i + 1) == Some(&0x80) && buf.get(i + 2) == Some(&0xA8) => {
                    Some((b"\\u2028", 3))
                }
                0xE2 if buf.get(i + 1) == Some(&0x80) && buf.get(i + 2) == Some(&0xA9) => {
                    Some((b"\\u2029", 3))
                }
                _ => None,
            };
            match escape {
                Some((with, len)) => {
                    self.0.extend_from_slice(&buf[start..i]);
                    self.0.extend_from_slice(with);
                    i += len;
                    start = i;
                }
                None => i += 1,
            }
        }
        self.0.extend_from_slice(&buf[start..]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `url` when it is an `https:` or `http:` link; anything else (`javascript:`, `data:`,
/// relative paths) is never emitted as a link.
pub fn web_link(url: &str) -> Option<&str> {
    let lower = url.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        .then_some(url)
        .filter(|u| !u.chars().any(|c| c.is_control() || c.is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_data_is_text() {
        assert_eq!(
            html("<img src=x onerror=\"alert('1')\">&"),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn script_json_cannot_close_its_script() {
        let v = serde_json::json!({"name": "</script><script>x()</script><!--&\u{2028}"});
        let s = script_json(&v);
        assert_eq!(
            s,
            "{\"name\":\"\\u003c/script\\u003e\\u003cscript\\u003ex()\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\"}"
        );
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn only_web_links_are_links() {
        assert_eq!(web_link("https://x.dev/a"), Some("https://x.dev/a"));
        assert_eq!(web_link("HTTP://x.dev"), Some("HTTP://x.dev"));
        for bad in ["javascript:alert(1)", " javascript:x", "data:text/html,x", "/etc/passwd", "https://x.dev/\nx", "jAvAsCrIpT:1"] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
    }
}
