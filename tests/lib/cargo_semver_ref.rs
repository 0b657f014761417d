// SPDX-License-Identifier: Apache-2.0
// cargo_semver_ref.rs — the reference answers of the `semver` crate (Debian's
// librust-semver-dev, the parser cargo uses) for tests/cli/vercmp-cargo.py: "A<TAB>B" lines on
// standard input, one of <, =, > or ! (Version::parse fails) per line. Order is SemVer
// precedence, i.e. the crate's Ord with build metadata cleared, as OSV's SEMVER ranges mean.
use semver::{BuildMetadata, Version};
use std::cmp::Ordering;
use std::io::{self, BufRead, Write};

fn main() {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = line.expect("UTF-8 input");
        let (a, b) = line.split_once('\t').expect("a tab");
        let answer = match (Version::parse(a), Version::parse(b)) {
            (Ok(mut x), Ok(mut y)) => {
                x.build = BuildMetadata::EMPTY;
                y.build = BuildMetadata::EMPTY;
                match x.cmp(&y) {
                    Ordering::Less => "<",
                    Ordering::Equal => "=",
                    Ordering::Greater => ">",
                }
            }
            _ => "!",
        };
        writeln!(out, "{}", answer).unwrap();
    }
}
