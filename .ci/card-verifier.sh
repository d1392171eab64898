#!/usr/bin/env bash
# Sapar's migrant cards checked by an independent implementation (.ci/card-verifier/verify.py:
# Python cryptography, rfc8785, zxing-cpp, Pillow), and Sapar's own `card verify` held to the same
# answers: a genuine card is accepted as JSON and as a QR PNG; a tampered one, one signed under
# another state's CA, one signed by a certificate without the card usage, one with a repeated
# member name, an expired one and an image without a QR code are refused, with the same code by
# both. The printable card (card.pdf) is rendered by poppler at 300 dpi: both read its QR code
# off the page and accept it, and its text holds the card number and the name in both scripts.
# Any disagreement or missing tool fails the step.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
source .ci/sapar-binary.sh

if ! command -v pdftoppm >/dev/null || ! command -v pdftotext >/dev/null; then
    apt-get install -y poppler-utils >/dev/null || { apt-get update >/dev/null && apt-get install -y poppler-utils >/dev/null; }
fi
command -v pdftoppm >/dev/null || { echo "error: pdftoppm (poppler-utils) is needed to render the printable card" >&2; exit 1; }

VENV="$TARGET/card-verifier-venv"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check cryptography rfc8785 zxing-cpp Pillow
PY="$VENV/bin/python"
VERIFY_PY=".ci/card-verifier/verify.py"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$SAPAR" keys init --state KAZ --out "$WORK/kaz" >/dev/null
"$SAPAR" keys init --state KGZ --out "$WORK/kgz" >/dev/null
"$SAPAR" card sample --keys "$WORK/kaz" --out "$WORK/card"
"$SAPAR" card sample --keys "$WORK/kgz" --out "$WORK/foreign" >/dev/null

# A tampered card: the last day of legal stay moved a year on, the signature left as it was.
"$PY" - "$WORK/card/card.json" "$WORK/tampered.json" <<'PYEOF'
import json, sys
seal = json.load(open(sys.argv[1], encoding="utf-8"))
vu = seal["data"]["msg"]["vu"]
seal["data"]["msg"]["vu"] = str(int(vu[:4]) + 1) + vu[4:]
json.dump(seal, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False, separators=(",", ":"))
PYEOF

# A repeated member name after the signed one, which a reader keeping the last copy would believe.
sed -E 's/("vu":"[0-9-]{10}")/\1,"vu":"2099-12-31"/' "$WORK/card/card.json" >"$WORK/doubled.json"
grep -q '"vu":"2099-12-31"' "$WORK/doubled.json"

# The same data signed with the node's key: its certificate chains to the CA but is no card signer.
"$PY" - "$WORK/card/card.json" "$WORK/kaz/node.pem" "$WORK/kaz/node.key.pem" "$WORK/node-signed.json" <<'PYEOF'
import base64, json, sys
import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
seal = json.load(open(sys.argv[1], encoding="utf-8"))
cert = x509.load_pem_x509_certificate(open(sys.argv[2], "rb").read())
key = serialization.load_pem_private_key(open(sys.argv[3], "rb").read(), password=None)
r, s = decode_dss_signature(key.sign(rfc8785.dumps(seal["data"]), ec.ECDSA(hashes.SHA256())))
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
seal["sig"]["cer"] = b64(cert.public_bytes(serialization.Encoding.DER))
seal["sig"]["sigvl"] = b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
json.dump(seal, open(sys.argv[4], "w", encoding="utf-8"), ensure_ascii=False)
PYEOF

# The printable card as a scanner would see it: the page at 300 dpi.
pdftoppm -png -r 300 -singlefile "$WORK/card/card.pdf" "$WORK/printed"

failures=0
# expect WANT FILE [--on DATE]: both verifiers must answer WANT ("ok" or a refusal code).
expect() {
    local want="$1" file="$2"
    shift 2
    local py_out py_rc sapar_out sapar_rc
    set +e
    py_out="$("$PY" "$VERIFY_PY" --ca "$WORK/kaz/ca.pem" "$@" "$file" 2>&1)"
    py_rc=$?
    sapar_out="$("$SAPAR" card verify --ca "$WORK/kaz/ca.pem" "$@" "$file" 2>&1)"
    sapar_rc=$?
    set -e
    local ok=1
    if [ "$want" = ok ]; then
        [ "$py_rc" -eq 0 ] && [ "${py_out%%$'\n'*}" = OK ] || ok=0
        [ "$sapar_rc" -eq 0 ] || ok=0
    else
        [ "$py_rc" -eq 1 ] && [[ "$py_out" == "REFUSED $want:"* ]] || ok=0
        [ "$sapar_rc" -eq 1 ] && [[ "$sapar_out" == "refused: $want:"* ]] || ok=0
    fi
    if [ "$ok" -eq 1 ]; then
        echo "ok: $want  $(basename "$(dirname "$file")")/$(basename "$file") $*"
    else
        failures=$((failures + 1))
        echo "FAILED: expected $want for $file $*" >&2
        echo "  python (exit $py_rc): $py_out" >&2
        echo "  sapar  (exit $sapar_rc): $sapar_out" >&2
    fi
}

expect ok "$WORK/card/card.json"
expect ok "$WORK/card/card.png"
expect ok "$WORK/printed.png"
expect bad_signature "$WORK/tampered.json"
expect foreign_ca "$WORK/foreign/card.json"
expect foreign_ca "$WORK/foreign/card.png"
expect not_a_card_signer "$WORK/node-signed.json"
expect not_a_seal "$WORK/doubled.json"
expect expired "$WORK/card/card.json" --on "$(date -u -d '+200 days' +%F)"
"$PY" -c 'import sys; from PIL import Image; Image.new("L", (200, 200), 255).save(sys.argv[1])' "$WORK/blank.png"
expect not_a_qr "$WORK/blank.png"

checks=11
# What the printed card says, as text (the name in both scripts, the number), must be the seal's.
printed_text="$(pdftotext -enc UTF-8 "$WORK/card/card.pdf" - | tr -s ' \n' '  ')"
number="$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1], encoding="utf-8"))["data"]["msg"]["no"])' "$WORK/card/card.json")"
text_ok=1
for want in "$number" "ABDURAKHMANOVA" "Абдурахманова Гульнара Жаныбековна" "КАРТА МИГРАНТА" "МИГРАНТТЫН КАРТАСЫ"; do
    if [[ "$printed_text" != *"$want"* ]]; then
        text_ok=0
        echo "FAILED: the printed card's text lacks \"$want\": $printed_text" >&2
    fi
done
if [ "$text_ok" -eq 1 ]; then
    echo "ok: the printed card's text names the card and the holder in both scripts"
else
    failures=$((failures + 1))
fi
echo "cards: $((checks - failures)) passed, $failures failed"
if [ "$failures" -ne 0 ]; then
    echo "error: the independent card verifier and sapar card verify disagree with the expected answers" >&2
    exit 1
fi
