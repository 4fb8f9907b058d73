//! What the fuzzing tests share: the mutations of a file's bytes and how they are applied.

use proptest::prelude::*;

/// Cases per seed of the large mutations (`LANTIAN_FUZZ_CASES`, default 48).
pub fn cases() -> u32 {
    env_count("LANTIAN_FUZZ_CASES", 48)
}

/// Inputs per seed of the volume run (`LANTIAN_FUZZ_VOLUME`, default 200).
pub fn volume() -> u32 {
    env_count("LANTIAN_FUZZ_VOLUME", 200)
}

fn env_count(var: &str, default: u32) -> u32 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Largest input the mutations build (a few fields of megabytes, a line repeated): the readers'
/// memory is what is tested, not the generator's.
pub const MAX_INPUT: usize = 8 << 20;

/// One edit of a file's bytes.
#[derive(Clone, Debug)]
pub enum Mutation {
    Flip {
        at: usize,
        mask: u8,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    Delete {
        at: usize,
        len: usize,
    },
    DuplicateLine {
        line: usize,
        times: usize,
    },
    SwapLines {
        a: usize,
        b: usize,
    },
    CutLine {
        line: usize,
    },
    Truncate {
        at: usize,
    },
    ReplaceByte {
        from: u8,
        to: u8,
    },
    /// A field of `len` copies of `fill` in place of byte `at`'s field.
    HugeField {
        at: usize,
        len: usize,
        fill: u8,
    },
    CrLf,
}

/// The mutations; `large` adds fields of megabytes and lines repeated up to 200 times (slow to
/// read), without it every input stays about the seed's size (the volume run).
pub fn mutation_of(large: bool) -> impl Strategy<Value = Mutation> {
    let any_pos = any::<usize>();
    prop_oneof![
        (any_pos, 1u8..=255).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        (
            any_pos,
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 1..8),
                Just(b",".to_vec()),
                Just(b"\n".to_vec()),
                Just(b"\"".to_vec()),
                Just(b"\0".to_vec()),
                Just(b"\xff\xfe".to_vec()),
                Just("北京".as_bytes().to_vec()),
                Just(b"-1e308".to_vec()),
                Just(b"NaN".to_vec()),
                Just(b"inf".to_vec()),
                Just(b"99999999999999999999999".to_vec()),
                Just(b"<html><title>x</title>".to_vec()),
                Just(b"*".to_vec()),
                Just(b"-".to_vec()),
                Just(b"Not Reported".to_vec()),
            ]
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any_pos, 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any_pos, 1usize..if large { 200 } else { 4 })
            .prop_map(|(line, times)| Mutation::DuplicateLine { line, times }),
        (any_pos, any_pos).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any_pos.prop_map(|line| Mutation::CutLine { line }),
        any_pos.prop_map(|at| Mutation::Truncate { at }),
        (
            prop_oneof![
                Just(b','),
                Just(b'\n'),
                Just(b'-'),
                Just(b'.'),
                Just(b'0'),
                Just(b'*')
            ],
            any::<u8>()
        )
            .prop_map(|(from, to)| Mutation::ReplaceByte { from, to }),
        (
            any_pos,
            prop_oneof![
                4 => Just(if large { 100_000usize } else { 64 }),
                1 => Just(if large { 3_000_000usize } else { 512 })
            ],
            prop_oneof![Just(b'9'), Just(b'x'), Just(b',')]
        )
            .prop_map(|(at, len, fill)| Mutation::HugeField { at, len, fill }),
        Just(Mutation::CrLf),
    ]
}

fn lines(b: &[u8]) -> Vec<Vec<u8>> {
    b.split_inclusive(|&c| c == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

pub fn apply(mut b: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let pos = |at: usize, len: usize| if len == 0 { 0 } else { at % (len + 1) };
    match m {
        Mutation::Flip { at, mask } if !b.is_empty() => {
            let i = at % b.len();
            b[i] ^= mask;
        }
        Mutation::Insert { at, bytes } => {
            let i = pos(*at, b.len());
            b.splice(i..i, bytes.iter().copied());
        }
        Mutation::Delete { at, len } if !b.is_empty() => {
            let i = at % b.len();
            let j = (i + len).min(b.len());
            b.drain(i..j);
        }
        Mutation::DuplicateLine { line, times } => {
            let mut ls = lines(&b);
            if !ls.is_empty() {
                let i = line % ls.len();
                let l = ls[i].clone();
                let room = MAX_INPUT.saturating_sub(b.len()) / l.len().max(1);
                for _ in 0..(*times).min(room) {
                    ls.insert(i, l.clone());
                }
                b = ls.concat();
            }
        }
        Mutation::SwapLines { a, b: c } => {
            let mut ls = lines(&b);
            if !ls.is_empty() {
                let n = ls.len();
                ls.swap(a % n, c % n);
                b = ls.concat();
            }
        }
        Mutation::CutLine { line } => {
            let mut ls = lines(&b);
            if !ls.is_empty() {
                let n = ls.len();
                ls.remove(line % n);
                b = ls.concat();
            }
        }
        Mutation::Truncate { at } => {
            let i = pos(*at, b.len());
            b.truncate(i);
        }
        Mutation::ReplaceByte { from, to } => {
            for x in b.iter_mut().filter(|x| **x == *from) {
                *x = *to;
            }
        }
        Mutation::HugeField { at, len, fill } if b.len() + len <= MAX_INPUT => {
            let i = pos(*at, b.len());
            b.splice(i..i, std::iter::repeat_n(*fill, *len));
        }
        Mutation::CrLf if b.len() * 2 <= MAX_INPUT => {
            b = b
                .iter()
                .flat_map(|&c| {
                    if c == b'\n' {
                        vec![b'\r', b'\n']
                    } else {
                        vec![c]
                    }
                })
                .collect();
        }
        _ => {}
    }
    b
}
