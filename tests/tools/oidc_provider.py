"""A small but real OpenID Connect provider for the tests, served over HTTP on 127.0.0.1.

It speaks what ProConnect speaks: discovery, authorisation code with PKCE (S256), a client secret
posted to the token endpoint, RS256 ID tokens, userinfo as a signed JWT (`application/jwt`), JWKS and
the end-session endpoint. Signing uses joserfc (Authlib's JOSE library). A test chooses who signs
in (`provider.claims`) and may ask for one fault (`provider.fault`) to see the client refuse it:
"wrong_nonce", "wrong_state", "expired", "wrong_audience", "unknown_key", or "clock_skew" (an ID
token that expired 30 seconds ago, which the client's leeway must accept).
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "essaim-test-client"
CLIENT_SECRET = "essaim-test-secret-" + "x" * 16


def _key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class OIDCProvider:
    """The provider: start() serves it on a free port, stop() ends it."""

    def __init__(self):
        self.key = _key("essaim-test-key")
        self.foreign_key = _key("someone-else")  # never published in the JWKS
        self.claims: dict = {}
        self.fault: str | None = None
        self.acr = "eidas1"
        self.amr = ["pwd"]
        self.authorize_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self.logout_requests: list[dict] = []
        self._codes: dict[str, dict] = {}
        self._tokens: dict[str, dict] = {}
        self._server = None
        self._thread = None
        self.issuer = ""

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> "OIDCProvider":
        self._server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    # --- HTTP ------------------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        request = Request(environ)
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/userinfo": self.userinfo,
            "/session/end": self.end_session,
        }
        handler = routes.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    @staticmethod
    def _json(data: dict, status: int = 200) -> Response:
        return Response(json.dumps(data), status=status, mimetype="application/json")

    def discovery(self, request: Request) -> Response:
        return self._json({
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/session/end",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "email", "given_name", "usual_name", "siret", "uid", "idp_id"],
        })

    def jwks(self, request: Request) -> Response:
        return self._json(KeySet([self.key]).as_dict(private=False))

    def authorize(self, request: Request) -> Response:
        """Signs the configured person in at once and sends the browser back with a code."""
        args = request.args.to_dict()
        self.authorize_requests.append(args)
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            return Response("bad client or response type", status=400)
        code = secrets.token_urlsafe(24)
        self._codes[code] = args
        state = args.get("state", "")
        if self.fault == "wrong_state":
            state = secrets.token_urlsafe(32)
        return Response(status=302, headers={
            "Location": f"{args['redirect_uri']}?{urlencode({'code': code, 'state': state})}"})

    def _client_authenticated(self, request: Request) -> bool:
        if request.authorization and request.authorization.type == "basic":
            return (request.authorization.username, request.authorization.password) == (CLIENT_ID, CLIENT_SECRET)
        return (request.form.get("client_id"), request.form.get("client_secret")) == (CLIENT_ID, CLIENT_SECRET)

    def token(self, request: Request) -> Response:
        form = request.form.to_dict()
        self.token_requests.append(form)
        if not self._client_authenticated(request):
            return self._json({"error": "invalid_client"}, 401)
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant.get("redirect_uri"):
            return self._json({"error": "invalid_grant"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant.get("code_challenge_method") != "S256" or challenge != grant.get("code_challenge"):
            return self._json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        id_claims = {
            "iss": self.issuer, "sub": self.claims["sub"], "aud": CLIENT_ID, "iat": now, "exp": now + 60,
            "nonce": grant.get("nonce"), "acr": self.acr, "amr": self.amr, "auth_time": now,
        }
        if self.fault == "wrong_nonce":
            id_claims["nonce"] = secrets.token_urlsafe(32)
        if self.fault == "expired":
            id_claims.update(iat=now - 3600, exp=now - 1800)
        if self.fault == "clock_skew":
            id_claims.update(iat=now - 90, exp=now - 30)
        if self.fault == "wrong_audience":
            id_claims["aud"] = "another-client"
        access_token = secrets.token_urlsafe(32)
        self._tokens[access_token] = dict(self.claims)
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, id_claims, self.key)
        return self._json({"access_token": access_token, "token_type": "Bearer", "expires_in": 60,
                           "id_token": id_token, "scope": grant.get("scope", "")})

    def userinfo(self, request: Request) -> Response:
        header = request.headers.get("Authorization", "")
        claims = self._tokens.get(header.removeprefix("Bearer ").strip())
        if claims is None:
            return self._json({"error": "invalid_token"}, 401)
        claims = {**claims, "iss": self.issuer, "aud": CLIENT_ID}
        key = self.foreign_key if self.fault == "unknown_key" else self.key
        body = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
        return Response(body, mimetype="application/jwt")

    def end_session(self, request: Request) -> Response:
        args = request.args.to_dict()
        self.logout_requests.append(args)
        target = args.get("post_logout_redirect_uri")
        if not target:
            return Response("logged out", status=200)
        return Response(status=302, headers={"Location": f"{target}?{urlencode({'state': args.get('state', '')})}"})
