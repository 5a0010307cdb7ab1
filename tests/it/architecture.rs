//! The layering of `docs/architecture.md`, checked on the source: no module uses one of a layer
//! above it, and no two files of `http` import from each other, directly or round a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use modules of a lower layer only.
const LAYERS: &[(&str, u8)] = &[
    ("domain", 0),
    ("config", 1),
    ("db", 2),
    ("catalogue", 3),
    ("template", 3),
    ("report", 3),
    ("accounts", 3),
    ("import", 3),
    ("demo", 4),
    ("mail", 4),
    ("app", 5),
    ("http", 6),
    ("startup", 7),
    ("cli", 8),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read src").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file that is compiled outside tests: comments and `#[cfg(test)]` modules (which
/// this codebase keeps at the end of a file) left out, and a `tests/` folder not at all.
fn production_code(path: &Path) -> String {
    if path.components().any(|c| c.as_os_str() == "tests") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).expect("read file");
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.trim_start().starts_with("//") {
            true => "",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module path of a file: `src/http/pages/scans.rs` → `["http", "pages", "scans"]`.
fn module_of(path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(src()).expect("under src");
    let mut segs: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if segs
        .last()
        .is_some_and(|s| s == "mod" || s == "lib" || s == "main")
    {
        segs.pop();
    }
    segs
}

/// Every path the code names, `crate::…` or `super::…`, with one level of `{…}` groups expanded,
/// as absolute module paths.
fn references(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != ':';
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        if starts_word && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            // Read a path: identifiers joined by `::`, possibly ending in a `{…}` group.
            let mut j = i;
            let mut path = String::new();
            while j < bytes.len() && (is_ident(bytes[j]) || bytes[j] == ':') {
                path.push(bytes[j]);
                j += 1;
            }
            let mut paths = Vec::new();
            if j < bytes.len() && bytes[j] == '{' && path.ends_with("::") {
                let end = (j..bytes.len()).find(|&k| bytes[k] == '}').unwrap_or(j);
                let group: String = bytes[j + 1..end].iter().collect();
                for item in group.split(',') {
                    let item = item.split_whitespace().next().unwrap_or("");
                    let item = item.split("::{").next().unwrap_or(item);
                    if !item.is_empty() {
                        paths.push(format!("{path}{item}"));
                    }
                }
                j = end;
            } else {
                paths.push(path);
            }
            for p in paths {
                out.push(absolute(&p, module));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn absolute(path: &str, module: &[String]) -> Vec<String> {
    let mut segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = if segs.first() == Some(&"crate") {
        segs.remove(0);
        Vec::new()
    } else {
        module.to_vec()
    };
    while segs.first() == Some(&"super") {
        segs.remove(0);
        base.pop();
    }
    base.extend(segs.iter().map(|s| (*s).to_owned()));
    base
}

/// The deepest file a module path lands in.
fn file_of(path: &[String]) -> Option<PathBuf> {
    for n in (1..=path.len()).rev() {
        let rel = path[..n].join("/");
        for candidate in [
            src().join(format!("{rel}.rs")),
            src().join(&rel).join("mod.rs"),
        ] {
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

#[test]
fn no_module_uses_a_layer_above_it() {
    let rank: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut wrong = Vec::new();
    for file in files(&src()) {
        let module = module_of(&file);
        let Some(top) = module.first() else { continue };
        let Some(&own) = rank.get(top.as_str()) else {
            continue;
        };
        for r in references(&production_code(&file), &module) {
            let Some(target) = r.first() else { continue };
            if target == top {
                continue;
            }
            if let Some(&theirs) = rank.get(target.as_str())
                && theirs >= own
            {
                wrong.push(format!(
                    "{} uses {} ({top} is layer {own}, {target} layer {theirs})",
                    file.display(),
                    r.join("::")
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_files_of_http_import_from_each_other_without_a_cycle() {
    let http = src().join("http");
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for file in files(&http) {
        let module = module_of(&file);
        let targets = edges.entry(file.clone()).or_default();
        for r in references(&production_code(&file), &module) {
            if r.first().map(String::as_str) != Some("http") {
                continue;
            }
            if let Some(target) = file_of(&r)
                && target != file
            {
                targets.insert(target);
            }
        }
    }
    assert!(edges.len() >= 10, "the http files were read: {edges:?}");
    // Depth-first search for a cycle.
    fn visit(
        f: &PathBuf,
        edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        stack: &mut Vec<PathBuf>,
        done: &mut BTreeSet<PathBuf>,
    ) -> Option<Vec<PathBuf>> {
        if let Some(i) = stack.iter().position(|s| s == f) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(f.clone());
            return Some(cycle);
        }
        if done.contains(f) {
            return None;
        }
        stack.push(f.clone());
        for t in edges.get(f).into_iter().flatten() {
            if let Some(c) = visit(t, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(f.clone());
        None
    }
    let mut done = BTreeSet::new();
    for f in edges.keys() {
        if let Some(cycle) = visit(f, &edges, &mut Vec::new(), &mut done) {
            let names: Vec<String> = cycle
                .iter()
                .map(|p| p.strip_prefix(src()).unwrap_or(p).display().to_string())
                .collect();
            panic!("a cycle between files of http: {}", names.join(" → "));
        }
    }
}

#[test]
fn the_checker_sees_a_reference_to_a_higher_layer() {
    let module = vec!["db".to_owned(), "imports".to_owned()];
    let refs = references(
        "use crate::import::{ParsedRespondent, PseudonymKey};\nuse super::{DbError, scans::ensure_scan};",
        &module,
    );
    assert!(refs.contains(&vec!["import".to_owned(), "ParsedRespondent".to_owned()]));
    assert!(refs.contains(&vec![
        "db".to_owned(),
        "scans".to_owned(),
        "ensure_scan".to_owned()
    ]));
    let scans = vec!["http".to_owned(), "pages".to_owned(), "scans".to_owned()];
    let refs = references("use super::super::auth::{Page, Viewer};", &scans);
    assert_eq!(
        file_of(&refs[0]),
        Some(src().join("http").join("auth.rs")),
        "{refs:?}"
    );
}
