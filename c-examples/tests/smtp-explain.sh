#!/bin/sh
# Tests the smtp-explain command-line program (c-examples/smtp-explain.c).
#
#   tests/smtp-explain.sh PROGRAM        e.g. tests/smtp-explain.sh build/smtp-explain
#
# Every check says what failed (with the program's stdout and stderr); the script stops with a
# non-zero exit status at the first failure. POSIX sh; needs python3 for the JSON checks.

set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 PROGRAM" >&2
    exit 2
fi
PROG=$1
case $PROG in
    /*) ;;
    *) PROG=$(pwd)/$PROG ;;
esac
if [ ! -x "$PROG" ]; then
    echo "smtp-explain.sh: $PROG is not an executable program" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
SAMPLE=$HERE/../samples/gmail-user-unknown.txt
export SAMPLE
if [ ! -r "$SAMPLE" ]; then
    echo "smtp-explain.sh: cannot read $SAMPLE" >&2
    exit 2
fi
command -v python3 >/dev/null 2>&1 || { echo "smtp-explain.sh: python3 is needed for the JSON checks" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/smtp-explain-test.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

checks=0
what=""

fail() {
    {
        printf 'smtp-explain.sh: FAILED: %s\n' "$what"
        printf '  %s\n' "$*"
        printf '  exit status: %s\n' "$rc"
        printf -- '--- stdout (first 2000 bytes):\n'
        head -c 2000 "$TMP/out"
        printf -- '\n--- stderr:\n'
        head -c 2000 "$TMP/err"
        printf -- '\n---\n'
    } >&2
    exit 1
}

pass() {
    checks=$((checks + 1))
}

# run STDIN-FILE ARGS...: runs the program; sets rc, leaves stdout and stderr in $TMP/out, $TMP/err.
run() {
    input=$1
    shift
    what="smtp-explain $* < $input"
    "$PROG" "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}

# The last run succeeded: exit 0, something on stdout, nothing on stderr.
expect_ok() {
    [ "$rc" -eq 0 ] || fail "expected exit status 0"
    pass
    [ -s "$TMP/out" ] || fail "expected output on stdout"
    pass
    [ ! -s "$TMP/err" ] || fail "expected nothing on stderr"
    pass
}

# The last run refused its input: exit 2, nothing on stdout, a message on stderr.
expect_bad() {
    [ "$rc" -eq 2 ] || fail "expected exit status 2 for bad input"
    pass
    [ ! -s "$TMP/out" ] || fail "expected nothing on stdout for bad input"
    pass
    [ -s "$TMP/err" ] || fail "expected a message on stderr"
    pass
    grep -q 'smtp-explain' "$TMP/err" || fail "the message on stderr should name the program"
    pass
}

# stdout contains each fixed string.
out_has() {
    for s in "$@"; do
        grep -F -q -- "$s" "$TMP/out" || fail "stdout does not contain: $s"
        pass
    done
}

# stderr contains each fixed string.
err_has() {
    for s in "$@"; do
        grep -F -q -- "$s" "$TMP/err" || fail "stderr does not contain: $s"
        pass
    done
}

# The last run's stdout is one valid JSON document, and the Python assertions hold for it (as d).
json_ok() {
    python3 -c 'import json,sys; json.load(sys.stdin)' <"$TMP/out" 2>"$TMP/pyerr" ||
        fail "stdout is not valid JSON: $(cat "$TMP/pyerr")"
    pass
    python3 -c '
import json, os, sys
d = json.load(open(sys.argv[1]))
try:
    exec(sys.argv[2])
except AssertionError as e:
    print("assertion failed:", sys.argv[2].strip(), "--", e, file=sys.stderr)
    sys.exit(1)
' "$TMP/out" "$1" 2>"$TMP/pyerr" || fail "JSON check failed: $(cat "$TMP/pyerr")"
    pass
}

# Input files.
NONE=/dev/null
printf '' >"$TMP/empty"
printf '250 OK\r\n\r\n550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\r\n421 4.7.0 Try again later\n' >"$TMP/several"
printf '250-first line\r\n250-second line\r\n' >"$TMP/truncated"
printf '550-5.7.26 first line\r\n550-5.7.26 second' >"$TMP/truncated2"
# Binary garbage (a TLS ClientHello start, NULs, bytes above 0x7f), in octal for POSIX printf.
printf '\026\003\001\002\000\001\000\001\374\003\003\377\376\000\000\r\n' >"$TMP/binary"
printf '220 ok\r\n\000\001\002\003\r\n' >"$TMP/binary2"

BOB='550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown'

# ---- a basic reply code
run $NONE 550
expect_ok
out_has "Reply code 550" "Requested action not taken: mailbox unavailable" "RFC 5321" \
    "Permanent Negative Completion" "RCPT" "What it means:" "What to do:"
run $NONE --json 550
expect_ok
json_ok '
assert d["kind"] == "code", d["kind"]
c = d["code"]
assert c["code"] == 550, c["code"]
assert c["status"] == "standard", c["status"]
assert c["severity"] == "permanent_negative", c["severity"]
assert c["category"] == 5, c["category"]
assert c["text"].startswith("Requested action not taken: mailbox unavailable"), c["text"]
assert c["rfc821_text"] is not None
assert any(x["command"] == "RCPT" for x in c["contexts"]), c["contexts"]
assert d["explanation"] and d["advice"]
'
run $NONE --json 599
expect_ok
json_ok '
assert d["code"]["code"] == 599 and d["code"]["status"] == "unregistered", d["code"]
assert d["code"]["source"] is None and d["code"]["contexts"] == []
'
run $NONE --json 220
expect_ok
json_ok '
cmds = [x["command"] for x in d["code"]["contexts"]]
assert "GREETING" in cmds and "STARTTLS" in cmds, cmds
'

# ---- an enhanced status code
run $NONE 5.7.26
expect_ok
out_has "Enhanced status code 5.7.26" "Multiple authentication checks failed" "RFC 7372" "What to do:"
run $NONE --json 5.7.26
expect_ok
json_ok '
assert d["kind"] == "enhanced", d["kind"]
e = d["enhanced"]
assert e["code"] == "5.7.26", e["code"]
assert e["status"] == "registered", e["status"]
assert e["name"] == "Multiple authentication checks failed", e["name"]
assert e["reference"] == "RFC 7372", e["reference"]
assert e["class_name"] == "Permanent Failure", e["class_name"]
assert e["subject_name"] == "Security or Policy Status", e["subject_name"]
'
run $NONE --json 5.1.99
expect_ok
json_ok '
e = d["enhanced"]
assert e["status"] == "unregistered" and e["subject_name"] == "Addressing Status", e
'
run $NONE --json 4.4.3
expect_ok
json_ok 'assert d["enhanced"]["rfc1893_name"] == "Routing server failure", d["enhanced"]'

# ---- a reply given as an argument
run $NONE "$BOB"
expect_ok
out_has "Reply:" "| $BOB" "550  Requested action not taken" "5.1.1  Bad destination mailbox address"
run $NONE --json "$BOB"
expect_ok
json_ok '
assert d["kind"] == "reply", d["kind"]
r = d["reply"]
assert r["code"] == 550, r["code"]
assert r["enhanced"] == "5.1.1", r["enhanced"]
assert r["warnings"] == [], r["warnings"]
assert r["lines"] == ["<bob@example.com>: Recipient address rejected: User unknown"], r["lines"]
assert r["raw"] == "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\r\n", r["raw"]
assert d["code"]["code"] == 550
assert d["enhanced"]["code"] == "5.1.1" and d["enhanced"]["name"] == "Bad destination mailbox address", d["enhanced"]
assert d["advice"] == d["enhanced"]["advice"]
'

# ---- a multi-line reply on stdin
run "$SAMPLE"
expect_ok
out_has "| 550-5.1.1 The email account that you tried to reach does not exist. Please try" \
    "| 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser" "Bad destination mailbox address"
run "$SAMPLE" --json
expect_ok
json_ok '
assert d["kind"] == "reply", d["kind"]
r = d["reply"]
assert r["code"] == 550 and r["enhanced"] == "5.1.1", r
assert len(r["lines"]) == 4, r["lines"]
assert r["lines"][0] == "The email account that you tried to reach does not exist. Please try", r["lines"][0]
assert r["lines"][3].startswith("https://support.google.com/mail/"), r["lines"][3]
assert r["raw"] == open(os.environ["SAMPLE"], "rb").read().decode(), "raw differs from the file"
'

# ---- several replies on stdin
run "$TMP/several"
expect_ok
[ "$(grep -c '^Reply:' "$TMP/out")" -eq 3 ] || fail "expected 3 replies explained"
pass
out_has "| 250 OK" "| $BOB" "| 421 4.7.0 Try again later" "bare LF"
run "$TMP/several" --json
expect_ok
json_ok '
assert d["kind"] == "replies", d["kind"]
rs = [x["reply"] for x in d["replies"]]
assert [r["code"] for r in rs] == [250, 550, 421], [r["code"] for r in rs]
assert [r["enhanced"] for r in rs] == [None, "5.1.1", "4.7.0"], [r["enhanced"] for r in rs]
assert rs[2]["warnings"] == ["bare_lf"], rs[2]["warnings"]
assert rs[0]["warnings"] == [] and rs[1]["warnings"] == []
'
# --strict refuses the bare LF of the third reply, and prints nothing.
run "$TMP/several" --strict
expect_bad
err_has "STRICT_VIOLATION"

# ---- bad input: exit 2, a message on stderr, nothing on stdout
run $NONE 611
expect_bad
err_has "611"
run $NONE --json 611
expect_bad
run $NONE 99
expect_bad
err_has "99"
run $NONE 5.1.1000
expect_bad
err_has "1000"
run $NONE --json 5.1.1000
expect_bad
run $NONE 6.1.1
expect_bad
run $NONE hello
expect_bad
err_has "INVALID_INPUT"
run $NONE --json hello
expect_bad
run "$TMP/empty"
expect_bad
err_has "no reply"
run "$TMP/empty" --json
expect_bad
run "$TMP/truncated"
expect_bad
err_has "middle of a reply"
run "$TMP/truncated2" --json
expect_bad
err_has "middle of a reply"
run "$TMP/binary"
expect_bad
run "$TMP/binary" --json
expect_bad
run "$TMP/binary2"
expect_bad
run $NONE --bogus
expect_bad
err_has "--bogus" "usage:"
run $NONE --bogus 550
expect_bad
run $NONE 550 551
expect_bad

# ---- classification (issue 3): verdict, command context, blocklists
run $NONE "$BOB"
expect_ok
out_has "Verdict:" "user_unknown" "hard (do not retry)" "remove_recipient" "decided by"
run $NONE --json "$BOB"
expect_ok
json_ok 'c = d["classification"]; assert (c["reason"], c["bounce"], c["retry"], c["action"]) == ("user_unknown", "hard", False, "remove_recipient"), c; assert c["evidence"]["text"].lower() == "user unknown", c'
run $NONE --json --command MAIL "$BOB"
expect_ok
json_ok 'c = d["classification"]; assert c["reason"] == "sender_rejected" and c["command"] == "MAIL", c'
run $NONE --json --command "rcpt to" '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'
expect_ok
json_ok 'c = d["classification"]; assert c["reason"] == "blocklisted" and c["blocklist"] == "Spamhaus ZEN" and c["blocklist_span"]["text"] == "zen.spamhaus.org", c'
run $NONE --json '450 4.2.0 <a@b.c>: Recipient address rejected: Greylisted, please try again in 5 minutes'
expect_ok
json_ok 'c = d["classification"]; assert (c["reason"], c["bounce"], c["retry"], c["retry_after"]) == ("greylisted", "soft", True, 300), c'
run $NONE --json 'host mx.example.com[192.0.2.1] said: 552 5.2.2 <a@b.c>: Mailbox full (in reply to RCPT TO command)'
expect_ok
json_ok 'c = d["classification"]; assert (c["reason"], c["command"], c["retry"]) == ("mailbox_full", "RCPT", True), c'
run $NONE --command BOGUS "$BOB"
expect_bad
err_has "unknown command BOGUS"
run $NONE "$BOB" --command
expect_bad
err_has "--command needs"

# ---- mail server logs (--maillog)
MAILLOG_PF=$HERE/../samples/maillog-postfix.log
MAILLOG_EXIM=$HERE/../samples/maillog-exim.log
export MAILLOG_PF
[ -r "$MAILLOG_PF" ] && [ -r "$MAILLOG_EXIM" ] || { echo "smtp-explain.sh: cannot read the maillog samples" >&2; exit 2; }
run $NONE --maillog "$MAILLOG_PF"
expect_ok
out_has "Mail log $MAILLOG_PF" "33 lines: 13 Postfix and 0 Exim delivery lines, 8 message lines, 12 other" \
    "from Mar  3 09:00:01 to Mar  8 09:06:02" "Recipients, by final outcome: 11" "Why mail was not delivered (7 recipients):" \
    "user_unknown (2):" "What to do:" "shop.example" "Most frequent failure replies:" "rule gmail-nosuchuser"
grep -E -q '^  delivered +4 +36\.4%$' "$TMP/out" || fail "the delivered row is wrong"
pass
grep -E -q '^  deferred +1 +9\.1%  \(still deferred when the log ends\)$' "$TMP/out" || fail "the deferred row is wrong"
pass
grep -E -q '^  gmail\.com +2 +1 +0 +1 +0  user_unknown \(1\)$' "$TMP/out" || fail "the gmail.com row is wrong"
pass
run $NONE --json --maillog "$MAILLOG_PF"
expect_ok
json_ok '
assert d["kind"] == "maillog" and d["file"] == os.environ["MAILLOG_PF"], d["file"]
s = d["summary"]
assert (s["lines"], s["postfix_lines"], s["exim_lines"], s["message_lines"], s["lines_other"]) == (33, 13, 0, 8, 12), s
assert (s["recipients"], s["delivered"], s["bounced"], s["expired"], s["deferred"]) == (11, 4, 5, 1, 1), s
assert (s["messages"], s["deferrals"], s["domains"], s["lines_too_long"]) == (3, 4, 8, 0), s
assert s["first_timestamp"] == "Mar  3 09:00:01" and s["last_timestamp"] == "Mar  8 09:06:02", s
reasons = {r["reason"]: r["count"] for r in d["reasons"]}
assert reasons == {"user_unknown": 2, "mailbox_full": 1, "domain_unknown": 1, "blocklisted": 1, "rate_limited": 1, "network_error": 1}, reasons
assert d["reasons"][0]["reason"] == "user_unknown" and d["reasons"][0]["explanation"] and d["reasons"][0]["advice"]
assert sum(x["recipients"] for x in d["domains"]) == 11
assert [x["domain"] for x in d["domains"][:2]] == ["shop.example", "gmail.com"], d["domains"]
assert d["domains"][0]["top_failure"] == "mailbox_full"
assert sum(g["count"] for g in d["groups"]) == 7
assert all(g["example"] for g in d["groups"])
'
# Exim, on standard input.
run "$MAILLOG_EXIM" --maillog -
expect_ok
out_has "Mail log (standard input)" "Recipients, by final outcome: 9" "13 Exim delivery lines" "message_too_large"
run "$MAILLOG_EXIM" --json --maillog -
expect_ok
json_ok '
s = d["summary"]
assert d["file"] is None
assert (s["exim_lines"], s["recipients"], s["delivered"], s["bounced"], s["expired"], s["deferred"]) == (13, 9, 4, 3, 1, 1), s
assert s["last_timestamp"] == "2024-03-07 11:00:02 -0000", s
'
# CRLF line ends give the same counts.
sed "s/\$/\r/" "$MAILLOG_PF" >"$TMP/crlf.log"
run $NONE --json --maillog "$TMP/crlf.log"
expect_ok
json_ok 's = d["summary"]; assert (s["lines"], s["recipients"], s["bounced"]) == (33, 11, 5), s; assert not any("\r" in g["example"] for g in d["groups"])'
# A 100 MB line before the log: skipped and counted, the rest read.
head -c 104857600 /dev/zero | tr '\000' 'x' >"$TMP/long.log"
printf '\n' >>"$TMP/long.log"
cat "$MAILLOG_PF" >>"$TMP/long.log"
run $NONE --json --maillog "$TMP/long.log"
expect_ok
json_ok 's = d["summary"]; assert (s["lines"], s["lines_too_long"], s["recipients"]) == (34, 1, 11), s'
rm -f "$TMP/long.log"
# Bad input: empty, binary garbage, no such file, no file name, a reply as well.
run $NONE --maillog "$TMP/empty"
expect_bad
err_has "no Postfix or Exim delivery lines" "0 lines read"
run $NONE --json --maillog "$TMP/binary"
expect_bad
err_has "no Postfix or Exim delivery lines"
run $NONE --maillog "$TMP/does-not-exist.log"
expect_bad
err_has "cannot open"
run $NONE --maillog
expect_bad
err_has "--maillog needs a file name"
run $NONE --maillog "$MAILLOG_PF" 550
expect_bad
err_has "--maillog takes a file"

# ---- transcripts (--log)
CONNLOG=$HERE/../samples/connection-log.txt
TELNETLOG=$HERE/../samples/telnet-session.txt
FIXTURES=$HERE/../../tests/data/transcripts
export CONNLOG
[ -r "$CONNLOG" ] && [ -r "$TELNETLOG" ] || { echo "smtp-explain.sh: cannot read the transcript samples" >&2; exit 2; }
run $NONE --log "$CONNLOG"
expect_ok
out_has "Transcript $CONNLOG: server_client, 100 lines, 19 steps" \
    "the greeting: <domain> Service ready" "answers RCPT TO:<old.colleague@example.com> (line 45)" \
    "5.1.1: Bad destination mailbox address" "verdict: user_unknown, hard bounce, do not retry" "What to do:" \
    "verdict: mailbox_full, soft bounce, retry later" "[message text: 2 lines, 41 bytes]" \
    "answers the end of the message (line 85)" "Protocol checks: none" \
    "Message from news@example.org: accepted, queue id 4XyZ7Q1kLmz" \
    "First failure: line 50, 550 to RCPT: user_unknown (hard bounce, do not retry)"
grep -E -q '^  anna@example\.com +accepted +250 2\.0\.0 \(line 90\)$' "$TMP/out" || fail "anna's row is wrong"
pass
grep -E -q '^  old\.colleague@example\.com +rejected +550 5\.1\.1 \(line 50\) user_unknown$' "$TMP/out" || fail "the rejected row is wrong"
pass
grep -E -q '^  ben@example\.com +deferred +452 4\.2\.2 \(line 60\) mailbox_full$' "$TMP/out" || fail "the deferred row is wrong"
pass
run $NONE --json --log "$CONNLOG"
expect_ok
json_ok '
assert d["input"] == os.environ["CONNLOG"] and d["format"] == "server_client" and d["lines"] == 100
assert d["message_accepted"] is True and d["queue_id"] == "4XyZ7Q1kLmz"
rc = {r["address"]: (r["status"], r["classification"]["reason"]) for r in d["recipients"]}
assert rc == {"anna@example.com": ("accepted", "success"), "old.colleague@example.com": ("rejected", "user_unknown"), "ben@example.com": ("deferred", "mailbox_full")}, rc
replies = [s for s in d["steps"] if s["kind"] == "reply"]
assert [s["code"] for s in replies] == [220, 250, 250, 250, 550, 452, 354, 250, 221]
for s in replies[1:]:
    assert d["steps"][s["answers"]]["command"] == s["command"], s
assert d["steps"][d["first_failure"]["step"]]["code"] == 550
assert d["checks"] == [] and d["quit"] is True
'
# The telnet tutorial layout on standard input, and the detected format.
run "$TELNETLOG" --log -
expect_ok
out_has "Transcript -: arrows" "friend@example.net" "relay_denied" "queue id 1rABcD-000123-Xy"
# Tool captures: swaks with STARTTLS, curl without QUIT, smtplib; credentials masked.
if [ -d "$FIXTURES" ]; then
    run $NONE --log "$FIXTURES/swaks_starttls.txt"
    expect_ok
    out_has ": swaks," "[TLS]" "nobody@example.com" "user_unknown"
    run $NONE --log "$FIXTURES/curl_plain.txt"
    expect_ok
    out_has ": curl," "missing_quit" "never sent QUIT"
    run $NONE --json --log "$FIXTURES/swaks_auth_plain.txt"
    expect_ok
    json_ok '
assert d["format"] == "swaks" and d["authenticated"] is True
auth = [s for s in d["steps"] if s["command"] == "AUTH" and s["kind"] == "command"]
assert auth and all(s["text"].endswith("****") or len(s["text"].split()) <= 2 for s in auth), auth
assert any(c["kind"] == "credentials_in_clear" for c in d["checks"])
'
fi
# A forced format, and the checks a bad conversation gets.
printf 'S: 220 mx\nC: SEND FROM:<a@b.example>\nS: 250 ok\nC: RCPT TO:<c@d.example>\nS: 250 ok\n' >"$TMP/rfc821"
run "$TMP/rfc821" --format rfc --log -
expect_ok
out_has "obsolete_command" "SEND FROM is an RFC 821 command" "out_of_sequence" "missing_quit"
# Nothing recognisable: said so, exit 0; bad input: exit 2.
run $NONE --log "$TMP/binary"
expect_ok
out_has "unknown" "No SMTP conversation found"
run $NONE --log "$TMP/empty"
expect_ok
out_has "No SMTP conversation found"
run $NONE --log "$TMP/does-not-exist.txt"
expect_bad
err_has "cannot open"
run $NONE --log
expect_bad
err_has "--log needs a file name"
run $NONE --format swaks --log "$CONNLOG" 550
expect_bad
err_has "--log takes a file"
run $NONE --format nonsense --log "$CONNLOG"
expect_bad
err_has "--format nonsense is not one of"
run $NONE --format rfc 550
expect_bad
err_has "--format goes with --log"

# ---- help and version
run $NONE --help
[ "$rc" -eq 0 ] || fail "--help should exit 0"
pass
out_has "usage: smtp-explain"
[ ! -s "$TMP/err" ] || fail "--help should print nothing on stderr"
pass
run $NONE --version
expect_ok
out_has "smtpreply"

echo "smtp-explain.sh: $checks checks passed ($PROG)"
