//! Embeds the dashboard (`web/dist`, built by `npm run build` in `web/`) into the binary: a
//! generated table of `(name, include_bytes!(…))`. Without a build, the table is empty and
//! `lantian serve` shows a page saying how to build it.

use std::path::{Path, PathBuf};

fn files(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            files(&p, root, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, p));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let web = manifest.join("../../web");
    let dist = web.join("dist");
    let mut list = Vec::new();
    if dist.join("index.html").is_file() {
        files(&dist, &dist, &mut list);
        println!("cargo:rerun-if-changed={}", dist.display());
    } else {
        // Watch the folder that will hold dist/ once built.
        println!("cargo:rerun-if-changed={}", web.display());
    }
    let mut code = String::from(
        "/// The dashboard's files: (name relative to web/dist, bytes).\npub static ASSETS: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in list {
        let abs = path.canonicalize().unwrap_or(path);
        code += &format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        );
    }
    code += "];\n";
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("dashboard_assets.rs");
    std::fs::write(out, code).expect("writing the asset table");
}
