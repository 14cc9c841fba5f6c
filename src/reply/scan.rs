//! The hot loop: find the next byte in a line that is not plain printable ASCII.
//!
//! A reply line is mostly printable ASCII. One pass finds the LF that ends it and, on the way,
//! any CR, control character or non-ASCII byte the parser must report. On x86_64 SSE2 (always
//! present there) tests 16 bytes with one signed compare: bytes 0x00-0x1F and 0x80-0xFF are both
//! "less than 0x20" as signed integers. Elsewhere an eight-byte word loop does the same.

/// Returns the index of the first byte at or after `from` that is a control character
/// (0x00-0x1F, 0x7F) or, when `stop_on_high`, a byte of 0x80 or above.
#[inline]
pub(crate) fn find_special(hay: &[u8], from: usize, stop_on_high: bool) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86_64 baseline; the function reads only inside `hay`.
        unsafe { find_special_sse2(hay, from, stop_on_high) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        find_special_swar(hay, from, stop_on_high)
    }
}

/// Returns the index of the first LF at or after `from` (the line iterator's search: the lines were
/// validated by the parser, so only their ends matter).
#[inline]
pub(crate) fn find_lf(hay: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86_64 baseline; the function reads only inside `hay`.
        unsafe { find_lf_sse2(hay, from) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        hay[from..].iter().position(|&b| b == b'\n').map(|i| from + i)
    }
}

#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn find_lf_sse2(hay: &[u8], from: usize) -> Option<usize> {
    use std::arch::x86_64::*;
    let len = hay.len();
    let ptr = hay.as_ptr();
    let lf = _mm_set1_epi8(b'\n' as i8);
    let mask_at = |i: usize| -> u32 {
        let v = _mm_loadu_si128(ptr.add(i) as *const __m128i);
        _mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)) as u32
    };
    let mut i = from;
    while i + 16 <= len {
        let m = mask_at(i);
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    if i == len {
        return None;
    }
    if len >= 16 {
        let base = len - 16;
        let m = mask_at(base) >> (i - base);
        return (m != 0).then(|| i + m.trailing_zeros() as usize);
    }
    (i..len).find(|&j| hay[j] == b'\n')
}

#[inline]
fn is_special(b: u8, stop_on_high: bool) -> bool {
    b < 0x20 || b == 0x7f || (stop_on_high && b >= 0x80)
}

#[cfg(target_arch = "x86_64")]
#[inline]
unsafe fn find_special_sse2(hay: &[u8], from: usize, stop_on_high: bool) -> Option<usize> {
    use std::arch::x86_64::*;
    let len = hay.len();
    let ptr = hay.as_ptr();
    let below = _mm_set1_epi8(0x20);
    let del = _mm_set1_epi8(0x7f);
    let mask_at = |i: usize| -> u32 {
        let v = _mm_loadu_si128(ptr.add(i) as *const __m128i);
        let ctl = _mm_or_si128(_mm_cmplt_epi8(v, below), _mm_cmpeq_epi8(v, del));
        let mut m = _mm_movemask_epi8(ctl) as u32;
        if !stop_on_high {
            // Drop the bytes that are "below 0x20" only because their high bit is set.
            m &= !(_mm_movemask_epi8(v) as u32);
        }
        m
    };
    let mut i = from;
    while i + 16 <= len {
        let m = mask_at(i);
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    if i == len {
        return None;
    }
    if len >= 16 {
        // Re-read the last 16 bytes and ignore those already checked.
        let base = len - 16;
        let m = mask_at(base) >> (i - base);
        return (m != 0).then(|| i + m.trailing_zeros() as usize);
    }
    (i..len).find(|&j| is_special(hay[j], stop_on_high))
}

#[cfg(any(not(target_arch = "x86_64"), test))]
fn find_special_swar(hay: &[u8], from: usize, stop_on_high: bool) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while i + 8 <= hay.len() {
        let w = u64::from_le_bytes(hay[i..i + 8].try_into().expect("8 bytes"));
        // A byte below 0x20, a DEL, or (optionally) a byte with its high bit set.
        let below = w.wrapping_sub(LO * 0x20) & !w & HI;
        let x = w ^ (LO * 0x7f);
        let is_del = x.wrapping_sub(LO) & !x & HI;
        let high = if stop_on_high { w & HI } else { 0 };
        if below | is_del | high != 0 {
            // The word test can report false positives next to a real hit; settle it bytewise.
            if let Some(j) = (i..i + 8).find(|&j| is_special(hay[j], stop_on_high)) {
                return Some(j);
            }
        }
        i += 8;
    }
    (i..hay.len()).find(|&j| is_special(hay[j], stop_on_high))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(hay: &[u8], from: usize, high: bool) -> Option<usize> {
        (from..hay.len()).find(|&j| is_special(hay[j], high))
    }

    #[test]
    fn agrees_with_naive_scan() {
        let mut rng = 0x1234_5678_9abc_def0u64;
        for len in 0..80 {
            for _ in 0..200 {
                let hay: Vec<u8> = (0..len)
                    .map(|_| {
                        rng ^= rng << 13;
                        rng ^= rng >> 7;
                        rng ^= rng << 17;
                        match rng % 23 {
                            0 => b'\n',
                            1 => b'\r',
                            2 => 0x7f,
                            3 => 0xc3,
                            4 => b'\t',
                            5 => 0x00,
                            _ => b'a' + (rng % 26) as u8,
                        }
                    })
                    .collect();
                for from in 0..=len {
                    let lf = (from..hay.len()).find(|&j| hay[j] == b'\n');
                    assert_eq!(find_lf(&hay, from), lf, "{hay:?} {from}");
                    for high in [false, true] {
                        let want = naive(&hay, from, high);
                        assert_eq!(find_special(&hay, from, high), want, "{hay:?} {from} {high}");
                        assert_eq!(find_special_swar(&hay, from, high), want, "{hay:?} {from} {high}");
                    }
                }
            }
        }
    }
}
