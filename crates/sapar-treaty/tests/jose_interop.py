#!/usr/bin/env python3
"""Verifies the protocol examples in test_data/protocol/ with an independent JOSE library.

Uses jwcrypto (JWS ES256) and cryptography (X.509 chain, fingerprints, hashes), nothing from
Sapar. Run: python3 crates/sapar-treaty/tests/jose_interop.py  (needs: pip install jwcrypto)
Prints one line per check and a closing "N passed, N failed" line; exits non-zero on failure.
"""

import base64
import hashlib
import json
import pathlib
import sys

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwcrypto import jwk, jws

DATA = pathlib.Path(__file__).resolve().parent.parent / "test_data" / "protocol"


def read(name):
    return (DATA / name).read_text(encoding="utf-8")


def b64url_decode(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_jws(token, cert, typ):
    """Verifies a compact JWS with the certificate's public key; returns (header, payload)."""
    key = jwk.JWK.from_pem(cert.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    obj = jws.JWS()
    obj.deserialize(token)
    obj.verify(key, alg="ES256")
    header = json.loads(b64url_decode(token.split(".")[0]))
    assert header["alg"] == "ES256", header
    assert header["typ"] == typ, header
    return header, obj.payload


def leaf_from_x5c(header):
    return x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))


def check_issued_by(cert, ca):
    assert cert.issuer == ca.subject, (cert.issuer, ca.subject)
    ca.public_key().verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
    bc = ca.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert bc.ca


def fingerprint(cert):
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def check_request():
    kgz_ca = x509.load_pem_x509_certificate(read("kgz-ca.pem").encode())
    signatory = x509.load_pem_x509_certificate(read("kgz-signatory.pem").encode())
    token = read("request.jws").strip()
    header, payload = verify_jws(token, signatory, "sapar-message+jws")
    leaf = leaf_from_x5c(header)
    assert fingerprint(leaf) == fingerprint(signatory)
    check_issued_by(leaf, kgz_ca)
    ku = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature
    assert hashlib.sha256(payload).hexdigest() == read("request.sha256").strip()
    env = json.loads(payload)
    assert env["protocol"] == "sapar-exchange/1"
    assert env["type"] == "request" and env["from"] == "KGZ-GMS" and env["to"] == "KAZ-MVD"
    assert env["seq"] == 2 and env["prev_hash"] == read("signatory_list.sha256").strip()
    for member in ("requesting_authority", "requested_authority", "substance", "purpose", "justification"):
        assert env["body"][member], member
    assert json.loads(read("request.payload.json")) == env


def check_signatory_list():
    signatory = x509.load_pem_x509_certificate(read("kgz-signatory.pem").encode())
    _, payload = verify_jws(read("signatory_list.jws").strip(), signatory, "sapar-message+jws")
    assert hashlib.sha256(payload).hexdigest() == read("signatory_list.sha256").strip()
    env = json.loads(payload)
    listed = [s["certificate_sha256"] for s in env["body"]["signatories"]]
    assert fingerprint(signatory) in listed
    assert env["seq"] == 1 and env["prev_hash"] is None


def check_receipt():
    kaz_ca = x509.load_pem_x509_certificate(read("kaz-ca.pem").encode())
    node = x509.load_pem_x509_certificate(read("kaz-node.pem").encode())
    header, payload = verify_jws(read("receipt.jws").strip(), node, "sapar-receipt+jws")
    check_issued_by(leaf_from_x5c(header), kaz_ca)
    receipt = json.loads(payload)
    request = json.loads(read("request.payload.json"))
    assert receipt["type"] == "receipt"
    assert receipt["message_id"] == request["id"]
    assert receipt["message_hash"] == read("request.sha256").strip()


def check_tampering_is_detected():
    signatory = x509.load_pem_x509_certificate(read("kgz-signatory.pem").encode())
    h, p, s = read("request.jws").strip().split(".")
    payload = b64url_decode(p).replace(b"BAKIROV", b"PAKIROV")
    forged = ".".join([h, base64.urlsafe_b64encode(payload).decode().rstrip("="), s])
    try:
        verify_jws(forged, signatory, "sapar-message+jws")
    except jws.InvalidJWSSignature:
        return
    raise AssertionError("a forged payload verified")


def check_other_ca_does_not_anchor():
    kaz_ca = x509.load_pem_x509_certificate(read("kaz-ca.pem").encode())
    signatory = x509.load_pem_x509_certificate(read("kgz-signatory.pem").encode())
    try:
        check_issued_by(signatory, kaz_ca)
    except Exception:
        return
    raise AssertionError("the KGZ signatory chained to the KAZ CA")


def check_log_entry():
    text = read("log-entry.txt")
    assert hashlib.sha256(text.encode()).hexdigest() == read("log-entry.sha256").strip()
    lines = text.split("\n")
    assert lines[0] == "sapar-log/1" and lines[-1] == "" and len(lines) == 10
    assert lines[8] == read("request.sha256").strip()


CHECKS = [
    check_request,
    check_signatory_list,
    check_receipt,
    check_tampering_is_detected,
    check_other_ca_does_not_anchor,
    check_log_entry,
]


def main():
    passed = failed = 0
    for check in CHECKS:
        try:
            check()
            print(f"ok   {check.__name__}")
            passed += 1
        except Exception as e:  # report every failing check, then fail
            print(f"FAIL {check.__name__}: {type(e).__name__}: {e}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
