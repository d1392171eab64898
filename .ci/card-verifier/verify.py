#!/usr/bin/env python3
"""An independent verifier of Sapar migrant cards, written from docs/card.md alone.

It shares no code with Sapar: Python `cryptography` for X.509 and ECDSA, `rfc8785` for the JSON
Canonicalization Scheme, `zxing-cpp` and Pillow to read the QR code.

    verify.py --ca CA.pem [--on YYYY-MM-DD] FILE

FILE is the seal's JSON or a PNG of its QR code. Prints `OK` and the holder's data and exits 0
when the card verifies; prints `REFUSED <code>: <reason>` and exits 1 otherwise. The codes are
those of docs/card.md.
"""

import argparse
import base64
import datetime
import json
import sys

import rfc8785
import zxingcpp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from PIL import Image

CARD_TYPE = "sapar.mc"
BARCODE_SIGNER_EKU = x509.ObjectIdentifier("2.23.136.1.1.14.2")
DOC_TYPE_LIST = x509.ObjectIdentifier("2.23.136.1.1.6.2")
PRIVATE_KEY_USAGE_PERIOD = x509.ObjectIdentifier("2.5.29.16")
MSG_FIELDS = {"no", "sn", "gn", "nn", "dob", "sx", "nat", "doc", "di", "vu"}
OPTIONAL_FIELDS = {"nn"}


class Refused(Exception):
    def __init__(self, code, reason):
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


def b64url(text, what, code):
    if not isinstance(text, str) or "=" in text:
        raise Refused(code, f"{what} is not unpadded base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as e:
        raise Refused(code, f"{what} is not base64url: {e}") from e


def read_input(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\x89PNG\r\n\x1a\n"):
        try:
            image = Image.open(path)
            image.load()
        except Exception as e:  # Pillow raises many kinds for a broken image
            raise Refused("not_a_qr", f"not a readable PNG: {e}") from e
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        if not found:
            raise Refused("not_a_qr", "no QR code in the image")
        # The seal is UTF-8 in byte mode; take the bytes, not the decoder's guess of a charset.
        return bytes(found[0].bytes)
    return raw


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise Refused("not_a_seal", "an object has a duplicate key")
    return dict(pairs)


def check_card_number(number, state):
    if len(number) != 13 or not number[:3].isascii() or not number[:3].isupper() or not number[3:].isdigit():
        raise Refused("bad_message", f"card number {number!r} is not 3 letters and 10 digits")
    values = [int(c, 36) for c in number[:12]]
    total = sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(values))
    if str(total % 10) != number[12]:
        raise Refused("bad_message", f"card number {number!r} has a wrong check digit")
    if number[:3] != state:
        raise Refused("bad_message", f"card number {number!r} is not of the issuing state {state}")


def iso_date(msg, key):
    value = msg.get(key)
    if not isinstance(value, str) or len(value) != 10:
        raise Refused("bad_message", f"{key} is not a YYYY-MM-DD date")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as e:
        raise Refused("bad_message", f"{key} {value!r}: {e}") from e


def verify(seal_bytes, ca, today):
    try:
        seal = json.loads(seal_bytes.decode("utf-8"), object_pairs_hook=no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise Refused("not_json", str(e)) from e
    try:
        data = seal["data"]
        hdr, msg, sig = data["hdr"], data["msg"], seal["sig"]
        alg, cer, sigvl = sig["alg"], sig["cer"], sig["sigvl"]
        kind, version, issuer = hdr["t"], hdr["v"], hdr["is"]
    except (KeyError, TypeError) as e:
        raise Refused("not_a_seal", f"missing or misplaced member {e}") from e
    if not isinstance(msg, dict) or alg != "ES256":
        raise Refused("not_a_seal", "msg is not an object or alg is not ES256")
    if kind != CARD_TYPE or version != 1 or isinstance(version, bool):
        raise Refused("unknown_type", f"type {kind!r} version {version!r}")

    try:
        cert = x509.load_der_x509_certificate(b64url(cer, "cer", "bad_certificate"))
    except ValueError as e:
        raise Refused("bad_certificate", str(e)) from e
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature) as e:
        raise Refused("foreign_ca", f"{cert.issuer.rfc4514_string()} is not the pinned CA, or its signature fails") from e

    ext = cert.extensions
    try:
        eku = ext.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        eku = []
    if BARCODE_SIGNER_EKU not in eku:
        raise Refused("not_a_card_signer", "extended key usage lacks 2.23.136.1.1.14.2")
    oids = {e.oid for e in ext}
    if DOC_TYPE_LIST not in oids:
        raise Refused("not_a_card_signer", "no document type list extension")
    if x509.oid.ExtensionOID.AUTHORITY_KEY_IDENTIFIER not in oids:
        raise Refused("not_a_card_signer", "no authority key identifier")
    forbidden = {x509.oid.ExtensionOID.KEY_USAGE, x509.oid.ExtensionOID.CRL_DISTRIBUTION_POINTS, PRIVATE_KEY_USAGE_PERIOD}
    if oids & forbidden:
        raise Refused("not_a_card_signer", "key usage, private key usage period or CRL distribution points present")
    key = cert.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise Refused("not_a_card_signer", "the key is not P-256")
    for who, c in (("signer", cert), ("CA", ca)):
        start, end = c.not_valid_before_utc.date(), c.not_valid_after_utc.date()
        if not start <= today <= end:
            raise Refused("signer_expired", f"the {who} certificate is valid from {start} to {end}, not on {today}")

    raw = b64url(sigvl, "sigvl", "bad_signature")
    if len(raw) != 64:
        raise Refused("bad_signature", f"sigvl is {len(raw)} bytes, not 64")
    signature = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        key.verify(signature, rfc8785.dumps(data), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as e:
        raise Refused("bad_signature", "ES256 over the RFC 8785 form of data does not verify") from e

    unknown = set(msg) - MSG_FIELDS
    missing = MSG_FIELDS - OPTIONAL_FIELDS - set(msg)
    if unknown or missing:
        raise Refused("bad_message", f"unknown fields {sorted(unknown)}, missing fields {sorted(missing)}")
    if not all(isinstance(v, str) for v in msg.values()):
        raise Refused("bad_message", "a message field is not a string")
    check_card_number(msg["no"], issuer)
    if msg["sx"] not in ("M", "F", "X"):
        raise Refused("bad_message", f"sx {msg['sx']!r}")
    birth, issued, until = iso_date(msg, "dob"), iso_date(msg, "di"), iso_date(msg, "vu")
    if not birth <= issued <= until:
        raise Refused("bad_message", "dates out of order")
    if until < today:
        raise Refused("expired", f"the card expired on {until}")
    return msg


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ca", required=True)
    parser.add_argument("--on", type=datetime.date.fromisoformat, default=datetime.datetime.now(datetime.timezone.utc).date())
    parser.add_argument("file")
    args = parser.parse_args()
    ca = x509.load_pem_x509_certificate(open(args.ca, "rb").read())
    try:
        msg = verify(read_input(args.file), ca, args.on)
    except Refused as r:
        print(f"REFUSED {r.code}: {r.reason}")
        return 1
    print("OK")
    for key in ("no", "sn", "gn", "nn", "dob", "sx", "nat", "doc", "di", "vu"):
        if key in msg:
            print(f"{key}: {msg[key]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
