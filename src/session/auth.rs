//! SASL for SMTP AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN, XOAUTH2, and base64.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional, no white space). `None` if it is not base64.
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let text = match text.iter().position(|&b| b == b'=') {
        Some(p) if text[p..].iter().all(|&b| b == b'=') && text.len() - p <= 2 => &text[..p],
        Some(_) => return None,
        None => text,
    };
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in text {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The mechanisms this client speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum Mechanism {
    Plain = 1,
    Login = 2,
    XOAuth2 = 3,
}

impl Mechanism {
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::XOAuth2 => "XOAUTH2",
        }
    }
    pub fn from_u32(n: u32) -> Option<Mechanism> {
        [Mechanism::Plain, Mechanism::Login, Mechanism::XOAuth2].into_iter().find(|m| *m as u32 == n)
    }
}

/// Credentials for AUTH. The secret is a password (PLAIN, LOGIN) or an OAuth 2 access token
/// (XOAUTH2).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: String,
    pub secret: String,
    /// The mechanism to use; `None` picks the best the server offers (PLAIN, then LOGIN; XOAUTH2
    /// only when asked for).
    pub mechanism: Option<Mechanism>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("secret", &"<hidden>")
            .field("mechanism", &self.mechanism)
            .finish()
    }
}

/// The initial response of PLAIN: `authzid NUL authcid NUL password` (empty authzid).
pub(crate) fn plain_response(user: &str, password: &str) -> String {
    let mut raw = Vec::with_capacity(user.len() + password.len() + 2);
    raw.push(0);
    raw.extend_from_slice(user.as_bytes());
    raw.push(0);
    raw.extend_from_slice(password.as_bytes());
    base64_encode(&raw)
}

/// The initial response of XOAUTH2 (Google and Microsoft's documented format).
pub(crate) fn xoauth2_response(user: &str, token: &str) -> String {
    base64_encode(format!("user={user}\x01auth=Bearer {token}\x01\x01").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_vectors() {
        for (plain, enc) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64_encode(plain.as_bytes()), enc);
            assert_eq!(base64_decode(enc.as_bytes()).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64_decode(b"VXNlcm5hbWU6").unwrap(), b"Username:");
        assert_eq!(base64_decode(b"Zg"), Some(b"f".to_vec()));
        assert_eq!(base64_decode(b"Z"), None);
        assert_eq!(base64_decode(b"Zg=a"), None);
        assert_eq!(base64_decode(b"!!!!"), None);
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64_decode(base64_encode(&all).as_bytes()).unwrap(), all);
    }

    #[test]
    fn responses() {
        assert_eq!(plain_response("tim", "tanstaaftanstaaf"), "AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
        let x = base64_decode(
            xoauth2_response("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg").as_bytes(),
        )
        .unwrap();
        assert_eq!(
            x,
            b"user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01"
        );
        assert!(
            !format!("{:?}", Credentials { user: "u".into(), secret: "p4ss".into(), mechanism: None }).contains("p4ss")
        );
    }
}
