/**
 * Generated from openapi.yaml by `pnpm gen` (openapi-typescript). Do not edit:
 * change openapi.yaml and run `pnpm gen`; `pnpm gen:check` fails when this file is stale.
 */

export interface paths {
    "/oauth2/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start an authorization request (authorization code with PKCE)
         * @description Shows the sign-in page when nobody is signed in, otherwise the consent page. The consent
         *     page is skipped when the user already granted these scopes to this client on a grant that
         *     is still alive (remembered consent). A public client is always asked unless its
         *     redirect URI is an `https` URL on a host other than a loopback one: on a loopback or
         *     private-use redirect URI its identity is not assured (RFC 8252 §8.6). `prompt` and `max_age` (OpenID Connect Core §3.1.2.1) change
         *     this: `prompt=none` never shows a page and answers `login_required`, `consent_required`
         *     or `interaction_required` instead.
         *     An unknown or paused client, or a missing or unregistered `redirect_uri`, gives an HTML
         *     error page and never a redirect. Once client and redirect URI are valid, every other
         *     error is sent back to the redirect URI with `error`, `error_description`, `state` and `iss`.
         *
         *     Also answered at `/index.php?module=OAuth2&action=authorize`.
         */
        get: operations["authorize"];
        put?: never;
        /**
         * Record the user's consent decision
         * @description The consent form posts here, to the same URL as the page that showed it (the authorization
         *     request stays in the query and is validated again). The decision and the scope are read
         *     from the form body only. Allow redirects with `code`, `state` and `iss`; deny with
         *     `error=access_denied`, `state` and `iss`. Both are 303 redirects (RFC 9700 §4.12).
         *
         *     Also answered at `/index.php?module=OAuth2&action=authorize`.
         */
        post: operations["authorizeDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a grant for tokens
         * @description Grants: `authorization_code` (with PKCE), `client_credentials` (confidential clients
         *     only) and `refresh_token` (rotated on every use). Confidential clients authenticate with
         *     HTTP Basic (`client_secret_basic`, id and secret form-urlencoded before base64) or with
         *     `client_id` and `client_secret` in the body (`client_secret_post`), never both; public
         *     clients send only `client_id`. Credentials in the query string and GET requests are
         *     rejected.
         *
         *     Every token carries exactly one Matomo scope. A client's scope is a ceiling: the
         *     authorization code and refresh grants may ask for a lower one; client credentials get
         *     exactly the client's scope. When the user granted `openid`, the authorization code and
         *     refresh grants also return an ID token (OpenID Connect Core §3.1.3.3, §12.2), and `scope`
         *     lists the identity scopes after the Matomo one (`matomo:read openid profile`).
         *
         *     Also answered at `/index.php?module=OAuth2&action=token`.
         */
        post: operations["token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a refresh or access token (RFC 7009)
         * @description Answers 200 whether or not the token was known, so that it reveals nothing. A client can
         *     only revoke its own tokens. Revoking a refresh token also revokes every access token of
         *     its grant. Client authentication as at the token endpoint.
         */
        post: operations["revoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Describe a token (RFC 7662)
         * @description For authenticated clients only (confidential clients; public clients cannot authenticate).
         *     An unknown, expired or revoked token, or one issued to another client, is described only
         *     as `{"active": false}`.
         */
        post: operations["introspect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/jwks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public keys that verify access tokens
         * @description Public keys only, each with its `alg` (RS256, ES256 or EdDSA: `ACCESS_TOKEN_ALG`). A new
         *     key is published here before it signs, and an old key stays until every token it signed
         *     has expired.
         */
        get: operations["jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-authorization-server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Authorization server metadata (RFC 8414)
         * @description Everything a client needs to find the endpoints and what they support. `issuer` is the
         *     value that appears in `iss` claims and authorization responses.
         *
         *     Also answered at `/index.php?module=OAuth2&action=metadata`.
         */
        get: operations["authorizationServerMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OpenID Provider metadata (OpenID Connect Discovery 1.0)
         * @description The same document as `/.well-known/oauth-authorization-server`, plus the OpenID Connect
         *     fields: the UserInfo and end-session endpoints, the ID token algorithm, the subject type
         *     and the claims.
         */
        get: operations["openidConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/userinfo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Claims about the signed-in user (OpenID Connect Core §5.3)
         * @description For an access token whose scope has `openid`: `sub`, plus `preferred_username` and
         *     `name` with `profile`, `email` and `email_verified` with `email`. Errors as RFC 6750 §3:
         *     `401` with `WWW-Authenticate: Bearer error="invalid_token"`, `403` with
         *     `error="insufficient_scope"` when the token lacks `openid`.
         */
        get: operations["userinfo"];
        put?: never;
        /**
         * Claims about the signed-in user, by POST
         * @description As GET; the token may also come as `access_token` in the form body (RFC 6750 §2.2).
         */
        post: operations["userinfoPost"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth2/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sign out of this server (OpenID Connect RP-Initiated Logout 1.0)
         * @description Ends the browser's sign-in session and, when `post_logout_redirect_uri` matches
         *     one the client registered, redirects there with `state`. With a valid `id_token_hint` of
         *     the current sign-in (the signed-in user and the session's `sid`) this happens at once;
         *     otherwise a page asks the user to confirm, so that a forged link, or an ID token of an
         *     earlier sign-in, signs nobody out unseen. An unregistered `post_logout_redirect_uri` is
         *     never followed. The application's tokens are not revoked here (the SDK revokes them
         *     first).
         */
        get: operations["endSession"];
        put?: never;
        /**
         * Sign out of this server, by POST
         * @description As GET, with the parameters in the form body. A POST that comes without the session
         *     cookie (a form on the application's site: the cookie is `SameSite=Lax`) is answered with a
         *     303 to the GET form of the same request, which the browser sends with its cookie. The
         *     confirmation page posts here too, with `confirm=yes` (or `no`) and the session's
         *     anti-CSRF token.
         */
        post: operations["endSessionPost"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sign-in page
         * @description `return_to` is where to go after signing in. Only local paths of this server's own pages
         *     (the authorization endpoint in both route forms, the connected applications page and the
         *     admin pages) are followed; anything else is ignored, so the page is no open redirector.
         */
        get: operations["loginPage"];
        put?: never;
        /**
         * Sign in
         * @description Checks the login and password, starts a session (an HttpOnly, SameSite=Lax cookie, Secure
         *     under https) and sends the browser on with a 303. Repeated failures are rate-limited.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description Ends the session and returns to the sign-in page. With `everywhere=1` ("Sign out of all
         *     applications") it also revokes every grant of the user: the refresh and access tokens of
         *     every application the user has authorized end at once. Without the session cookie (a
         *     cross-site form) nothing changes.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user's connected applications
         * @description The applications the signed-in user has authorized (their live grants), one row per
         *     client: its name, the scope granted (the highest of the grants), when it was first
         *     granted and last used, and a "Revoke" form. A signed-out visitor is sent to
         *     `/login?return_to=/account`, which returns here.
         */
        get: operations["accountPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/account/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an application's access
         * @description Revokes every live grant of the signed-in user to the client: its refresh tokens fail
         *     and its access tokens are refused by the API at once. A client the user has no grant
         *     with changes nothing. Then back to `/account`.
         */
        post: operations["revokeConnectedApplication"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/API.getMatomoVersion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The Matomo version this server answers as
         * @description Needs view access to at least one site.
         *
         *     Also answered at `/index.php?module=API&method=API.getMatomoVersion`.
         */
        get: operations["API.getMatomoVersion.query"];
        put?: never;
        /**
         * The Matomo version this server answers as
         * @description Needs view access to at least one site.
         *
         *     Also answered at `/index.php?module=API&method=API.getMatomoVersion`.
         */
        post: operations["API.getMatomoVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/API.getBulkRequest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Several API calls in one request
         * @description Each `urls[]` entry is the URL-encoded query string of another API call (`method=VisitsSummary.get&idSite=1&period=day&date=today`). The answer is an array of each call's JSON result, in order; a failing call gives its Matomo error object in its slot. Each call takes the outer request's parameters it does not name itself, and is checked as if called alone with the same token (scope, super user, site access): one refused call does not fail the others. A nested `API.getBulkRequest`, or an entry naming no method, is skipped. POST-only methods (those carrying a password confirmation) are refused in their slot: inner parameters come from URLs.
         *
         *     Also answered at `/index.php?module=API&method=API.getBulkRequest`.
         */
        get: operations["API.getBulkRequest.query"];
        put?: never;
        /**
         * Several API calls in one request
         * @description Each `urls[]` entry is the URL-encoded query string of another API call (`method=VisitsSummary.get&idSite=1&period=day&date=today`). The answer is an array of each call's JSON result, in order; a failing call gives its Matomo error object in its slot. Each call takes the outer request's parameters it does not name itself, and is checked as if called alone with the same token (scope, super user, site access): one refused call does not fail the others. A nested `API.getBulkRequest`, or an entry naming no method, is skipped. POST-only methods (those carrying a password confirmation) are refused in their slot: inner parameters come from URLs.
         *
         *     Also answered at `/index.php?module=API&method=API.getBulkRequest`.
         */
        post: operations["API.getBulkRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/SitesManager.getSitesWithAtLeastViewAccess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sites the caller can view
         * @description Every site where the token gives at least view access, by id.
         *
         *     Matomo's filters on a plain list apply (no sort, no truncate): `filter_offset` and
         *     `filter_limit` (default: every site), `hideColumns`/`showColumns` on each site, and
         *     `filter_pattern` on the fields named as an array (`filter_column[]=name`; a plain
         *     `filter_column` filters nothing). As in Matomo, the sites a pattern keeps keep their
         *     positions as keys: unless they are the first ones, the answer is an object keyed by
         *     position (`{"2": {…}}`) until a limit or offset renumbers them.
         *
         *     Also answered at `/index.php?module=API&method=SitesManager.getSitesWithAtLeastViewAccess`.
         */
        get: operations["SitesManager.getSitesWithAtLeastViewAccess.query"];
        put?: never;
        /**
         * The sites the caller can view
         * @description Every site where the token gives at least view access, by id.
         *
         *     Matomo's filters on a plain list apply (no sort, no truncate): `filter_offset` and
         *     `filter_limit` (default: every site), `hideColumns`/`showColumns` on each site, and
         *     `filter_pattern` on the fields named as an array (`filter_column[]=name`; a plain
         *     `filter_column` filters nothing). As in Matomo, the sites a pattern keeps keep their
         *     positions as keys: unless they are the first ones, the answer is an object keyed by
         *     position (`{"2": {…}}`) until a limit or offset renumbers them.
         *
         *     Also answered at `/index.php?module=API&method=SitesManager.getSitesWithAtLeastViewAccess`.
         */
        post: operations["SitesManager.getSitesWithAtLeastViewAccess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/SitesManager.getSitesIdWithAtLeastViewAccess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The ids of the sites the caller can view
         * @description Every site id where the token gives at least view access, ascending, as a plain list
         *     (`[1, 2]`); `[]` when there is none. `filter_offset` and `filter_limit` slice it (default:
         *     every id).
         *
         *     Also answered at `/index.php?module=API&method=SitesManager.getSitesIdWithAtLeastViewAccess`.
         */
        get: operations["SitesManager.getSitesIdWithAtLeastViewAccess.query"];
        put?: never;
        /**
         * The ids of the sites the caller can view
         * @description Every site id where the token gives at least view access, ascending, as a plain list
         *     (`[1, 2]`); `[]` when there is none. `filter_offset` and `filter_limit` slice it (default:
         *     every id).
         *
         *     Also answered at `/index.php?module=API&method=SitesManager.getSitesIdWithAtLeastViewAccess`.
         */
        post: operations["SitesManager.getSitesIdWithAtLeastViewAccess"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/SitesManager.getSiteFromId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One site
         * @description Also answered at `/index.php?module=API&method=SitesManager.getSiteFromId`.
         */
        get: operations["SitesManager.getSiteFromId.query"];
        put?: never;
        /**
         * One site
         * @description Also answered at `/index.php?module=API&method=SitesManager.getSiteFromId`.
         */
        post: operations["SitesManager.getSiteFromId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/SitesManager.addSite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Create a site
         * @description Returns the new site id. Needs a super user and the `matomo:superuser` scope.
         *
         *     Also answered at `/index.php?module=API&method=SitesManager.addSite`.
         */
        get: operations["SitesManager.addSite.query"];
        put?: never;
        /**
         * Create a site
         * @description Returns the new site id. Needs a super user and the `matomo:superuser` scope.
         *
         *     Also answered at `/index.php?module=API&method=SitesManager.addSite`.
         */
        post: operations["SitesManager.addSite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/SitesManager.updateSite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Change a site's settings
         * @description Only the parameters sent are changed.
         *
         *     Also answered at `/index.php?module=API&method=SitesManager.updateSite`.
         */
        get: operations["SitesManager.updateSite.query"];
        put?: never;
        /**
         * Change a site's settings
         * @description Only the parameters sent are changed.
         *
         *     Also answered at `/index.php?module=API&method=SitesManager.updateSite`.
         */
        post: operations["SitesManager.updateSite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/VisitsSummary.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visit totals
         * @description One record per period and site; an object keyed by period label when `date` covers several periods, keyed by site id for several sites (site first when both).
         *     One site and one period without visits give every metric at 0; inside a keyed result, such a period is `[]`, as in Matomo.
         *
         *     Also answered at `/index.php?module=API&method=VisitsSummary.get`.
         */
        get: operations["VisitsSummary.get.query"];
        put?: never;
        /**
         * Visit totals
         * @description One record per period and site; an object keyed by period label when `date` covers several periods, keyed by site id for several sites (site first when both).
         *     One site and one period without visits give every metric at 0; inside a keyed result, such a period is `[]`, as in Matomo.
         *
         *     Also answered at `/index.php?module=API&method=VisitsSummary.get`.
         */
        post: operations["VisitsSummary.get"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/VisitsSummary.getVisits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The number of visits
         * @description `{"value": n}` for one period and site; otherwise plain numbers keyed by period label and/or site id.
         *     A period without visits counts 0.
         *
         *     Also answered at `/index.php?module=API&method=VisitsSummary.getVisits`.
         */
        get: operations["VisitsSummary.getVisits.query"];
        put?: never;
        /**
         * The number of visits
         * @description `{"value": n}` for one period and site; otherwise plain numbers keyed by period label and/or site id.
         *     A period without visits counts 0.
         *
         *     Also answered at `/index.php?module=API&method=VisitsSummary.getVisits`.
         */
        post: operations["VisitsSummary.getVisits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Actions.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Action totals
         * @description Page views, downloads, outlinks and site searches; keyed like `VisitsSummary.get`.
         *
         *     Also answered at `/index.php?module=API&method=Actions.get`.
         */
        get: operations["Actions.get.query"];
        put?: never;
        /**
         * Action totals
         * @description Page views, downloads, outlinks and site searches; keyed like `VisitsSummary.get`.
         *
         *     Also answered at `/index.php?module=API&method=Actions.get`.
         */
        post: operations["Actions.get"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Actions.getPageUrls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Page URLs, as a tree of folders
         * @description Top-level rows are folders (with `idsubdatatable`) and pages. `idSubtable` returns one folder's rows, `expanded=1` nests them in `subtable`, `flat=1` lists every page with its full path as label.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getPageUrls`.
         */
        get: operations["Actions.getPageUrls.query"];
        put?: never;
        /**
         * Page URLs, as a tree of folders
         * @description Top-level rows are folders (with `idsubdatatable`) and pages. `idSubtable` returns one folder's rows, `expanded=1` nests them in `subtable`, `flat=1` lists every page with its full path as label.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getPageUrls`.
         */
        post: operations["Actions.getPageUrls"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Actions.getDownloads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Downloads, grouped by host
         * @description One row per host (with `idsubdatatable`, stable across periods); its subtable lists the downloaded URLs by path, with `url` and a `downloadUrl==` segment. `idSubtable` returns one host's URLs, `expanded=1` nests them in `subtable`, `flat=1` lists every URL as `host/path`.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getDownloads`.
         */
        get: operations["Actions.getDownloads.query"];
        put?: never;
        /**
         * Downloads, grouped by host
         * @description One row per host (with `idsubdatatable`, stable across periods); its subtable lists the downloaded URLs by path, with `url` and a `downloadUrl==` segment. `idSubtable` returns one host's URLs, `expanded=1` nests them in `subtable`, `flat=1` lists every URL as `host/path`.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getDownloads`.
         */
        post: operations["Actions.getDownloads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Actions.getOutlinks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Outlinks, grouped by host
         * @description One row per host (with `idsubdatatable`, stable across periods); its subtable lists the followed URLs by path, with `url` and an `outlinkUrl==` segment. `idSubtable` returns one host's URLs, `expanded=1` nests them in `subtable`, `flat=1` lists every URL as `host/path`.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getOutlinks`.
         */
        get: operations["Actions.getOutlinks.query"];
        put?: never;
        /**
         * Outlinks, grouped by host
         * @description One row per host (with `idsubdatatable`, stable across periods); its subtable lists the followed URLs by path, with `url` and an `outlinkUrl==` segment. `idSubtable` returns one host's URLs, `expanded=1` nests them in `subtable`, `flat=1` lists every URL as `host/path`.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getOutlinks`.
         */
        post: operations["Actions.getOutlinks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Actions.getEntryPageUrls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Entry page URLs, as a tree of folders
         * @description The rows of `Actions.getPageUrls` that visits entered by, at every depth, with the entry columns: `entry_nb_uniq_visitors` (pages only), `entry_nb_visits`, `entry_nb_actions`, `entry_sum_visit_length`, `entry_bounce_count`. Pages link to an `entryPageUrl==` segment.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getEntryPageUrls`.
         */
        get: operations["Actions.getEntryPageUrls.query"];
        put?: never;
        /**
         * Entry page URLs, as a tree of folders
         * @description The rows of `Actions.getPageUrls` that visits entered by, at every depth, with the entry columns: `entry_nb_uniq_visitors` (pages only), `entry_nb_visits`, `entry_nb_actions`, `entry_sum_visit_length`, `entry_bounce_count`. Pages link to an `entryPageUrl==` segment.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getEntryPageUrls`.
         */
        post: operations["Actions.getEntryPageUrls"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Actions.getExitPageUrls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Exit page URLs, as a tree of folders
         * @description The rows of `Actions.getPageUrls` that visits left from, at every depth, with `exit_nb_uniq_visitors` (pages only) and `exit_nb_visits`. Pages link to an `exitPageUrl==` segment.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getExitPageUrls`.
         */
        get: operations["Actions.getExitPageUrls.query"];
        put?: never;
        /**
         * Exit page URLs, as a tree of folders
         * @description The rows of `Actions.getPageUrls` that visits left from, at every depth, with `exit_nb_uniq_visitors` (pages only) and `exit_nb_visits`. Pages link to an `exitPageUrl==` segment.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getExitPageUrls`.
         */
        post: operations["Actions.getExitPageUrls"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Actions.getPageTitles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Page titles
         * @description Page views per title. Matomo's `action_title_category_delimiter` is empty by default, so titles are one flat table: `idSubtable` names no subtable, `expanded` and `flat` change nothing. Pages without a title share the row `Page Name not defined`. Rows link to a `pageTitle==` segment.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getPageTitles`.
         */
        get: operations["Actions.getPageTitles.query"];
        put?: never;
        /**
         * Page titles
         * @description Page views per title. Matomo's `action_title_category_delimiter` is empty by default, so titles are one flat table: `idSubtable` names no subtable, `expanded` and `flat` change nothing. Pages without a title share the row `Page Name not defined`. Rows link to a `pageTitle==` segment.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getPageTitles`.
         */
        post: operations["Actions.getPageTitles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Actions.getSiteSearchKeywords": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Site search keywords
         * @description One row per keyword searched on the site, with `nb_pages_per_search` and a `siteSearchKeyword==` segment. A search is never an entry (bounce rate 0%); a visit exits by it when it is its last action.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getSiteSearchKeywords`.
         */
        get: operations["Actions.getSiteSearchKeywords.query"];
        put?: never;
        /**
         * Site search keywords
         * @description One row per keyword searched on the site, with `nb_pages_per_search` and a `siteSearchKeyword==` segment. A search is never an entry (bounce rate 0%); a visit exits by it when it is its last action.
         *
         *     Also answered at `/index.php?module=API&method=Actions.getSiteSearchKeywords`.
         */
        post: operations["Actions.getSiteSearchKeywords"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getCategory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events by category
         * @description One row per event category (Matomo `Events.getCategory`), with an `eventCategory==` segment. `expanded=1` nests the rows of `secondaryDimension` (`eventAction`, the default, or `eventName`) in `subtable`. Metrics: `nb_visits`, `nb_events`, `nb_events_with_value`, `sum_event_value`, `min_event_value` and `max_event_value` (null without values), `avg_event_value` (over the events with a value, two decimals).
         *
         *     Also answered at `/index.php?module=API&method=Events.getCategory`.
         */
        get: operations["Events.getCategory.query"];
        put?: never;
        /**
         * Events by category
         * @description One row per event category (Matomo `Events.getCategory`), with an `eventCategory==` segment. `expanded=1` nests the rows of `secondaryDimension` (`eventAction`, the default, or `eventName`) in `subtable`. Metrics: `nb_visits`, `nb_events`, `nb_events_with_value`, `sum_event_value`, `min_event_value` and `max_event_value` (null without values), `avg_event_value` (over the events with a value, two decimals).
         *
         *     Also answered at `/index.php?module=API&method=Events.getCategory`.
         */
        post: operations["Events.getCategory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getAction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events by action
         * @description One row per event action (Matomo `Events.getAction`), with an `eventAction==` segment. `expanded=1` nests the rows of `secondaryDimension` (`eventName`, the default, or `eventCategory`) in `subtable`. Metrics: `nb_visits`, `nb_events`, `nb_events_with_value`, `sum_event_value`, `min_event_value` and `max_event_value` (null without values), `avg_event_value` (over the events with a value, two decimals).
         *
         *     Also answered at `/index.php?module=API&method=Events.getAction`.
         */
        get: operations["Events.getAction.query"];
        put?: never;
        /**
         * Events by action
         * @description One row per event action (Matomo `Events.getAction`), with an `eventAction==` segment. `expanded=1` nests the rows of `secondaryDimension` (`eventName`, the default, or `eventCategory`) in `subtable`. Metrics: `nb_visits`, `nb_events`, `nb_events_with_value`, `sum_event_value`, `min_event_value` and `max_event_value` (null without values), `avg_event_value` (over the events with a value, two decimals).
         *
         *     Also answered at `/index.php?module=API&method=Events.getAction`.
         */
        post: operations["Events.getAction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getName": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Events by name
         * @description One row per event name (Matomo `Events.getName`), with an `eventName==` segment; events without a name are the row `Event Name not defined`, without a segment. `expanded=1` nests the rows of `secondaryDimension` (`eventAction`, the default, or `eventCategory`) in `subtable`. Metrics: `nb_visits`, `nb_events`, `nb_events_with_value`, `sum_event_value`, `min_event_value` and `max_event_value` (null without values), `avg_event_value` (over the events with a value, two decimals).
         *
         *     Also answered at `/index.php?module=API&method=Events.getName`.
         */
        get: operations["Events.getName.query"];
        put?: never;
        /**
         * Events by name
         * @description One row per event name (Matomo `Events.getName`), with an `eventName==` segment; events without a name are the row `Event Name not defined`, without a segment. `expanded=1` nests the rows of `secondaryDimension` (`eventAction`, the default, or `eventCategory`) in `subtable`. Metrics: `nb_visits`, `nb_events`, `nb_events_with_value`, `sum_event_value`, `min_event_value` and `max_event_value` (null without values), `avg_event_value` (over the events with a value, two decimals).
         *
         *     Also answered at `/index.php?module=API&method=Events.getName`.
         */
        post: operations["Events.getName"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getActionFromCategoryId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Event actions of a category
         * @description The event actions of one event category (Matomo `Events.getActionFromCategoryId`): `idSubtable` is an `Events.getCategory` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventAction==` segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getActionFromCategoryId`.
         */
        get: operations["Events.getActionFromCategoryId.query"];
        put?: never;
        /**
         * Event actions of a category
         * @description The event actions of one event category (Matomo `Events.getActionFromCategoryId`): `idSubtable` is an `Events.getCategory` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventAction==` segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getActionFromCategoryId`.
         */
        post: operations["Events.getActionFromCategoryId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getNameFromCategoryId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Event names of a category
         * @description The event names of one event category (Matomo `Events.getNameFromCategoryId`): `idSubtable` is an `Events.getCategory` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventName==` segment; events without a name are the row `Event Name not defined`, without a segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getNameFromCategoryId`.
         */
        get: operations["Events.getNameFromCategoryId.query"];
        put?: never;
        /**
         * Event names of a category
         * @description The event names of one event category (Matomo `Events.getNameFromCategoryId`): `idSubtable` is an `Events.getCategory` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventName==` segment; events without a name are the row `Event Name not defined`, without a segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getNameFromCategoryId`.
         */
        post: operations["Events.getNameFromCategoryId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getCategoryFromActionId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Event categories of an action
         * @description The event categories of one event action (Matomo `Events.getCategoryFromActionId`): `idSubtable` is an `Events.getAction` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventCategory==` segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getCategoryFromActionId`.
         */
        get: operations["Events.getCategoryFromActionId.query"];
        put?: never;
        /**
         * Event categories of an action
         * @description The event categories of one event action (Matomo `Events.getCategoryFromActionId`): `idSubtable` is an `Events.getAction` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventCategory==` segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getCategoryFromActionId`.
         */
        post: operations["Events.getCategoryFromActionId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getNameFromActionId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Event names of an action
         * @description The event names of one event action (Matomo `Events.getNameFromActionId`): `idSubtable` is an `Events.getAction` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventName==` segment; events without a name are the row `Event Name not defined`, without a segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getNameFromActionId`.
         */
        get: operations["Events.getNameFromActionId.query"];
        put?: never;
        /**
         * Event names of an action
         * @description The event names of one event action (Matomo `Events.getNameFromActionId`): `idSubtable` is an `Events.getAction` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventName==` segment; events without a name are the row `Event Name not defined`, without a segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getNameFromActionId`.
         */
        post: operations["Events.getNameFromActionId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getActionFromNameId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Event actions of a name
         * @description The event actions of one event name (Matomo `Events.getActionFromNameId`): `idSubtable` is an `Events.getName` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventAction==` segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getActionFromNameId`.
         */
        get: operations["Events.getActionFromNameId.query"];
        put?: never;
        /**
         * Event actions of a name
         * @description The event actions of one event name (Matomo `Events.getActionFromNameId`): `idSubtable` is an `Events.getName` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventAction==` segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getActionFromNameId`.
         */
        post: operations["Events.getActionFromNameId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Events.getCategoryFromNameId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Event categories of a name
         * @description The event categories of one event name (Matomo `Events.getCategoryFromNameId`): `idSubtable` is an `Events.getName` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventCategory==` segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getCategoryFromNameId`.
         */
        get: operations["Events.getCategoryFromNameId.query"];
        put?: never;
        /**
         * Event categories of a name
         * @description The event categories of one event name (Matomo `Events.getCategoryFromNameId`): `idSubtable` is an `Events.getName` row's `idsubdatatable`, the same for every site, period and secondary dimension. Each row has the `eventCategory==` segment. An `idSubtable` that names no row gives an empty table, as Matomo's archive; one that is no number (nor `all`) is Matomo's error `idSubtable needs to be a number or 'all', … given.`
         *
         *     Also answered at `/index.php?module=API&method=Events.getCategoryFromNameId`.
         */
        post: operations["Events.getCategoryFromNameId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getReferrerType": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by referrer type
         * @description Direct entries, search engines, websites, campaigns and social networks, for one site. `idSubtable` (or `expanded=1`) gives the referrers of one type; an `idSubtable` that is no type's id gives the whole report, as in Matomo.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getReferrerType`.
         */
        get: operations["Referrers.getReferrerType.query"];
        put?: never;
        /**
         * Visits by referrer type
         * @description Direct entries, search engines, websites, campaigns and social networks, for one site. `idSubtable` (or `expanded=1`) gives the referrers of one type; an `idSubtable` that is no type's id gives the whole report, as in Matomo.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getReferrerType`.
         */
        post: operations["Referrers.getReferrerType"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getAll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every referrer, in one flat table
         * @description The keywords of search engines, and the websites, campaigns and social networks, of one site and one period, each row with `referer_type` (Matomo's id of its type: 2 search, 3 website, 6 campaign, 7 social). Direct entries are not listed.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getAll`.
         */
        get: operations["Referrers.getAll.query"];
        put?: never;
        /**
         * Every referrer, in one flat table
         * @description The keywords of search engines, and the websites, campaigns and social networks, of one site and one period, each row with `referer_type` (Matomo's id of its type: 2 search, 3 website, 6 campaign, 7 social). Direct entries are not listed.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getAll`.
         */
        post: operations["Referrers.getAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getWebsites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Referring websites
         * @description The hosts that referred visits, each with the referrer URLs in its subtable (`idSubtable`, `expanded=1`; `flat=1` lists `host/path` with the URL in `url`).
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getWebsites`.
         */
        get: operations["Referrers.getWebsites.query"];
        put?: never;
        /**
         * Referring websites
         * @description The hosts that referred visits, each with the referrer URLs in its subtable (`idSubtable`, `expanded=1`; `flat=1` lists `host/path` with the URL in `url`).
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getWebsites`.
         */
        post: operations["Referrers.getWebsites"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getSearchEngines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search engines
         * @description The search engines that referred visits, with `url` and `logo`, each with its keywords in its subtable (`idSubtable`, `expanded=1`, `flat=1`).
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getSearchEngines`.
         */
        get: operations["Referrers.getSearchEngines.query"];
        put?: never;
        /**
         * Search engines
         * @description The search engines that referred visits, with `url` and `logo`, each with its keywords in its subtable (`idSubtable`, `expanded=1`, `flat=1`).
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getSearchEngines`.
         */
        post: operations["Referrers.getSearchEngines"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getKeywords": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search keywords
         * @description The search keywords (`Keyword not defined` when the engine hid it), each with the engines that sent it in its subtable (`idSubtable`, `expanded=1`, `flat=1`).
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getKeywords`.
         */
        get: operations["Referrers.getKeywords.query"];
        put?: never;
        /**
         * Search keywords
         * @description The search keywords (`Keyword not defined` when the engine hid it), each with the engines that sent it in its subtable (`idSubtable`, `expanded=1`, `flat=1`).
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getKeywords`.
         */
        post: operations["Referrers.getKeywords"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getSocials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Social networks
         * @description The social networks that referred visits, with `url` (where Matomo knows the network) and `logo`, each with the referrer URLs in its subtable (`idSubtable`, `expanded=1`, `flat=1`).
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getSocials`.
         */
        get: operations["Referrers.getSocials.query"];
        put?: never;
        /**
         * Social networks
         * @description The social networks that referred visits, with `url` (where Matomo knows the network) and `logo`, each with the referrer URLs in its subtable (`idSubtable`, `expanded=1`, `flat=1`).
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getSocials`.
         */
        post: operations["Referrers.getSocials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getCampaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Campaigns
         * @description The campaign names, each with its keywords in its subtable (`idSubtable`, `expanded=1`, `flat=1`); a campaign without keywords has no subtable.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getCampaigns`.
         */
        get: operations["Referrers.getCampaigns.query"];
        put?: never;
        /**
         * Campaigns
         * @description The campaign names, each with its keywords in its subtable (`idSubtable`, `expanded=1`, `flat=1`); a campaign without keywords has no subtable.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getCampaigns`.
         */
        post: operations["Referrers.getCampaigns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getUrlsFromWebsiteId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * URLs of a referring website
         * @description The referrer URLs of one website: `idSubtable` is a `Referrers.getWebsites` row's `idsubdatatable`. Each row is labelled with the URL's path and query (`index` when empty; URLs with the same path are one row), with the URL in `url` and the `referrerUrl` segment. An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getUrlsFromWebsiteId`.
         */
        get: operations["Referrers.getUrlsFromWebsiteId.query"];
        put?: never;
        /**
         * URLs of a referring website
         * @description The referrer URLs of one website: `idSubtable` is a `Referrers.getWebsites` row's `idsubdatatable`. Each row is labelled with the URL's path and query (`index` when empty; URLs with the same path are one row), with the URL in `url` and the `referrerUrl` segment. An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getUrlsFromWebsiteId`.
         */
        post: operations["Referrers.getUrlsFromWebsiteId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getKeywordsFromSearchEngineId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Keywords of a search engine
         * @description The keywords of one search engine: `idSubtable` is a `Referrers.getSearchEngines` row's `idsubdatatable`. Each row has the segment and, in `url`, the engine's results page for the keyword (Matomo's FAQ for `Keyword not defined`, which has no segment). An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getKeywordsFromSearchEngineId`.
         */
        get: operations["Referrers.getKeywordsFromSearchEngineId.query"];
        put?: never;
        /**
         * Keywords of a search engine
         * @description The keywords of one search engine: `idSubtable` is a `Referrers.getSearchEngines` row's `idsubdatatable`. Each row has the segment and, in `url`, the engine's results page for the keyword (Matomo's FAQ for `Keyword not defined`, which has no segment). An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getKeywordsFromSearchEngineId`.
         */
        post: operations["Referrers.getKeywordsFromSearchEngineId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getSearchEnginesFromKeywordId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search engines of a keyword
         * @description The search engines that sent one keyword: `idSubtable` is a `Referrers.getKeywords` row's `idsubdatatable`. Each row has the segment, the engine's results page for the keyword in `url`, and `logo`. An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getSearchEnginesFromKeywordId`.
         */
        get: operations["Referrers.getSearchEnginesFromKeywordId.query"];
        put?: never;
        /**
         * Search engines of a keyword
         * @description The search engines that sent one keyword: `idSubtable` is a `Referrers.getKeywords` row's `idsubdatatable`. Each row has the segment, the engine's results page for the keyword in `url`, and `logo`. An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getSearchEnginesFromKeywordId`.
         */
        post: operations["Referrers.getSearchEnginesFromKeywordId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getKeywordsFromCampaignId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Keywords of a campaign
         * @description The keywords of one campaign: `idSubtable` is a `Referrers.getCampaigns` row's `idsubdatatable`. Each row has the segment. An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getKeywordsFromCampaignId`.
         */
        get: operations["Referrers.getKeywordsFromCampaignId.query"];
        put?: never;
        /**
         * Keywords of a campaign
         * @description The keywords of one campaign: `idSubtable` is a `Referrers.getCampaigns` row's `idsubdatatable`. Each row has the segment. An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getKeywordsFromCampaignId`.
         */
        post: operations["Referrers.getKeywordsFromCampaignId"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Referrers.getUrlsForSocial": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * URLs of a social network
         * @description The referrer URLs of one social network (`idSubtable`, a `Referrers.getSocials` row's `idsubdatatable`), or of all of them without it. Each row is labelled with the URL without its scheme, with the URL in `url` and the `referrerUrl` segment. An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getUrlsForSocial`.
         */
        get: operations["Referrers.getUrlsForSocial.query"];
        put?: never;
        /**
         * URLs of a social network
         * @description The referrer URLs of one social network (`idSubtable`, a `Referrers.getSocials` row's `idsubdatatable`), or of all of them without it. Each row is labelled with the URL without its scheme, with the URL in `url` and the `referrerUrl` segment. An unknown `idSubtable` gives an empty table.
         *
         *     Also answered at `/index.php?module=API&method=Referrers.getUrlsForSocial`.
         */
        post: operations["Referrers.getUrlsForSocial"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/UserCountry.getCountry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by country
         * @description Also answered at `/index.php?module=API&method=UserCountry.getCountry`.
         */
        get: operations["UserCountry.getCountry.query"];
        put?: never;
        /**
         * Visits by country
         * @description Also answered at `/index.php?module=API&method=UserCountry.getCountry`.
         */
        post: operations["UserCountry.getCountry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/DevicesDetection.getType": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by device type
         * @description Also answered at `/index.php?module=API&method=DevicesDetection.getType`.
         */
        get: operations["DevicesDetection.getType.query"];
        put?: never;
        /**
         * Visits by device type
         * @description Also answered at `/index.php?module=API&method=DevicesDetection.getType`.
         */
        post: operations["DevicesDetection.getType"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/DevicesDetection.getBrowsers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by browser
         * @description Also answered at `/index.php?module=API&method=DevicesDetection.getBrowsers`.
         */
        get: operations["DevicesDetection.getBrowsers.query"];
        put?: never;
        /**
         * Visits by browser
         * @description Also answered at `/index.php?module=API&method=DevicesDetection.getBrowsers`.
         */
        post: operations["DevicesDetection.getBrowsers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/DevicesDetection.getOsFamilies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by operating system family
         * @description Also answered at `/index.php?module=API&method=DevicesDetection.getOsFamilies`.
         */
        get: operations["DevicesDetection.getOsFamilies.query"];
        put?: never;
        /**
         * Visits by operating system family
         * @description Also answered at `/index.php?module=API&method=DevicesDetection.getOsFamilies`.
         */
        post: operations["DevicesDetection.getOsFamilies"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/VisitTime.getVisitInformationPerServerTime": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by hour of the site's time
         * @description Also answered at `/index.php?module=API&method=VisitTime.getVisitInformationPerServerTime`.
         */
        get: operations["VisitTime.getVisitInformationPerServerTime.query"];
        put?: never;
        /**
         * Visits by hour of the site's time
         * @description Also answered at `/index.php?module=API&method=VisitTime.getVisitInformationPerServerTime`.
         */
        post: operations["VisitTime.getVisitInformationPerServerTime"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/VisitTime.getByDayOfWeek": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by day of the week
         * @description The days of one period added up per weekday, Monday to Sunday, for one site. A weekday without visits only has `nb_visits`; a period without visits is `[]`.
         *
         *     Also answered at `/index.php?module=API&method=VisitTime.getByDayOfWeek`.
         */
        get: operations["VisitTime.getByDayOfWeek.query"];
        put?: never;
        /**
         * Visits by day of the week
         * @description The days of one period added up per weekday, Monday to Sunday, for one site. A weekday without visits only has `nb_visits`; a period without visits is `[]`.
         *
         *     Also answered at `/index.php?module=API&method=VisitTime.getByDayOfWeek`.
         */
        post: operations["VisitTime.getByDayOfWeek"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Resolution.getResolution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by screen resolution
         * @description Visits per screen resolution (`1920x1080`, or `unknown` when the browser sent none), most visits first.
         *
         *     Also answered at `/index.php?module=API&method=Resolution.getResolution`.
         */
        get: operations["Resolution.getResolution.query"];
        put?: never;
        /**
         * Visits by screen resolution
         * @description Visits per screen resolution (`1920x1080`, or `unknown` when the browser sent none), most visits first.
         *
         *     Also answered at `/index.php?module=API&method=Resolution.getResolution`.
         */
        post: operations["Resolution.getResolution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/UserCountry.getContinent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by continent
         * @description The country report grouped by continent (Matomo's mapping, with Central America apart), labelled in English; `code` repeats the label and rows carry no segment, as in Matomo.
         *
         *     Also answered at `/index.php?module=API&method=UserCountry.getContinent`.
         */
        get: operations["UserCountry.getContinent.query"];
        put?: never;
        /**
         * Visits by continent
         * @description The country report grouped by continent (Matomo's mapping, with Central America apart), labelled in English; `code` repeats the label and rows carry no segment, as in Matomo.
         *
         *     Also answered at `/index.php?module=API&method=UserCountry.getContinent`.
         */
        post: operations["UserCountry.getContinent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/UserCountry.getRegion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by region
         * @description Visits per region (ISO 3166-2 code), labelled `Region, Country` in English, with the segment `regionCode==<region>;countryCode==<country>` and Matomo's `region`, `country`, `country_name`, `region_name` and `logo` fields; visits without a region make one `Unknown` row (codes `xx`, no segment), as in Matomo.
         *
         *     Also answered at `/index.php?module=API&method=UserCountry.getRegion`.
         */
        get: operations["UserCountry.getRegion.query"];
        put?: never;
        /**
         * Visits by region
         * @description Visits per region (ISO 3166-2 code), labelled `Region, Country` in English, with the segment `regionCode==<region>;countryCode==<country>` and Matomo's `region`, `country`, `country_name`, `region_name` and `logo` fields; visits without a region make one `Unknown` row (codes `xx`, no segment), as in Matomo.
         *
         *     Also answered at `/index.php?module=API&method=UserCountry.getRegion`.
         */
        post: operations["UserCountry.getRegion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/UserCountry.getCity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by city
         * @description Visits per city, labelled `City, Region, Country` in English, with the segment `city==<city>;regionCode==<region>;countryCode==<country>` and Matomo's `city_name`, `region`, `country`, `country_name`, `region_name` and `logo` fields; visits without a city make one `Unknown` row (`city` `xx`, no segment). Matomo's `lat` and `long` are not sent: the demo data has no coordinates.
         *
         *     Also answered at `/index.php?module=API&method=UserCountry.getCity`.
         */
        get: operations["UserCountry.getCity.query"];
        put?: never;
        /**
         * Visits by city
         * @description Visits per city, labelled `City, Region, Country` in English, with the segment `city==<city>;regionCode==<region>;countryCode==<country>` and Matomo's `city_name`, `region`, `country`, `country_name`, `region_name` and `logo` fields; visits without a city make one `Unknown` row (`city` `xx`, no segment). Matomo's `lat` and `long` are not sent: the demo data has no coordinates.
         *
         *     Also answered at `/index.php?module=API&method=UserCountry.getCity`.
         */
        post: operations["UserCountry.getCity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/UserLanguage.getLanguage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by browser language
         * @description Visits per language of the browser (the first of its Accept-Language header), labelled in English (`Unknown` when the browser sent none), with the segment `languageCode==<code>,languageCode=@<code>-` (`languageCode==xx` when unknown), as Matomo groups its language-and-region rows.
         *
         *     Also answered at `/index.php?module=API&method=UserLanguage.getLanguage`.
         */
        get: operations["UserLanguage.getLanguage.query"];
        put?: never;
        /**
         * Visits by browser language
         * @description Visits per language of the browser (the first of its Accept-Language header), labelled in English (`Unknown` when the browser sent none), with the segment `languageCode==<code>,languageCode=@<code>-` (`languageCode==xx` when unknown), as Matomo groups its language-and-region rows.
         *
         *     Also answered at `/index.php?module=API&method=UserLanguage.getLanguage`.
         */
        post: operations["UserLanguage.getLanguage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/VisitTime.getVisitInformationPerLocalTime": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by hour of the visitor's local time
         * @description Visits per hour of the visitor's own clock at the first action, one row per hour `00` to `23` once the period has a visit; `[]` otherwise.
         *
         *     Also answered at `/index.php?module=API&method=VisitTime.getVisitInformationPerLocalTime`.
         */
        get: operations["VisitTime.getVisitInformationPerLocalTime.query"];
        put?: never;
        /**
         * Visits by hour of the visitor's local time
         * @description Visits per hour of the visitor's own clock at the first action, one row per hour `00` to `23` once the period has a visit; `[]` otherwise.
         *
         *     Also answered at `/index.php?module=API&method=VisitTime.getVisitInformationPerLocalTime`.
         */
        post: operations["VisitTime.getVisitInformationPerLocalTime"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/VisitFrequency.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * New and returning visits
         * @description Also answered at `/index.php?module=API&method=VisitFrequency.get`.
         */
        get: operations["VisitFrequency.get.query"];
        put?: never;
        /**
         * New and returning visits
         * @description Also answered at `/index.php?module=API&method=VisitFrequency.get`.
         */
        post: operations["VisitFrequency.get"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Goals.getGoals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Goals of a site
         * @description The site's active goals keyed by `idgoal` (`[]` when it has none), each with Matomo's goal
         *     fields; a manually triggered goal has no `pattern`, `pattern_type` or `case_sensitive`.
         *     For a list of sites, the goals of all of them, a later site's goal replacing an earlier
         *     one with the same `idgoal`, as Matomo keys them.
         *     Also answered at `/index.php?module=API&method=Goals.getGoals`.
         */
        get: operations["Goals.getGoals.query"];
        put?: never;
        /**
         * Goals of a site
         * @description The site's active goals keyed by `idgoal` (`[]` when it has none), each with Matomo's goal
         *     fields; a manually triggered goal has no `pattern`, `pattern_type` or `case_sensitive`.
         *     For a list of sites, the goals of all of them, a later site's goal replacing an earlier
         *     one with the same `idgoal`, as Matomo keys them.
         *     Also answered at `/index.php?module=API&method=Goals.getGoals`.
         */
        post: operations["Goals.getGoals"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Goals.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Goal conversions
         * @description Conversions of all goals, or of `idGoal`, per period and site: `nb_conversions`,
         *     `nb_visits_converted`, `revenue` and `conversion_rate` (converted visits over visits),
         *     then the same for new visits (suffix `_new_visit`) and returning visits
         *     (`_returning_visit`). Conversions count in the period of their own time. Keyed by period
         *     label and site id as `VisitsSummary.get`; one site and period without visits give every
         *     metric at 0, inside a keyed result a part without visits has no columns and a period
         *     without visits is `[]`, as in Matomo. An `idGoal` the site does not have gives zeros,
         *     as Matomo (it reads archives that do not exist).
         *     Also answered at `/index.php?module=API&method=Goals.get`.
         */
        get: operations["Goals.get.query"];
        put?: never;
        /**
         * Goal conversions
         * @description Conversions of all goals, or of `idGoal`, per period and site: `nb_conversions`,
         *     `nb_visits_converted`, `revenue` and `conversion_rate` (converted visits over visits),
         *     then the same for new visits (suffix `_new_visit`) and returning visits
         *     (`_returning_visit`). Conversions count in the period of their own time. Keyed by period
         *     label and site id as `VisitsSummary.get`; one site and period without visits give every
         *     metric at 0, inside a keyed result a part without visits has no columns and a period
         *     without visits is `[]`, as in Matomo. An `idGoal` the site does not have gives zeros,
         *     as Matomo (it reads archives that do not exist).
         *     Also answered at `/index.php?module=API&method=Goals.get`.
         */
        post: operations["Goals.get"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/VisitorInterest.getNumberOfVisitsPerVisitDuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by visit duration
         * @description Also answered at `/index.php?module=API&method=VisitorInterest.getNumberOfVisitsPerVisitDuration`.
         */
        get: operations["VisitorInterest.getNumberOfVisitsPerVisitDuration.query"];
        put?: never;
        /**
         * Visits by visit duration
         * @description Also answered at `/index.php?module=API&method=VisitorInterest.getNumberOfVisitsPerVisitDuration`.
         */
        post: operations["VisitorInterest.getNumberOfVisitsPerVisitDuration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/VisitorInterest.getNumberOfVisitsPerPage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits by number of actions
         * @description Also answered at `/index.php?module=API&method=VisitorInterest.getNumberOfVisitsPerPage`.
         */
        get: operations["VisitorInterest.getNumberOfVisitsPerPage.query"];
        put?: never;
        /**
         * Visits by number of actions
         * @description Also answered at `/index.php?module=API&method=VisitorInterest.getNumberOfVisitsPerPage`.
         */
        post: operations["VisitorInterest.getNumberOfVisitsPerPage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Live.getLastVisitsDetails": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The most recent visits, newest first
         * @description Without `period` and `date`, the most recent visits overall; `period` and `date` go together.
         *     Ordered by last action time (then visit id), newest first; `filter_sort_order=asc` takes them oldest first, the window included (`filter_sort_column` is ignored, as in Matomo).
         *     `filter_limit=-1` returns at most 10,000 visits.
         *
         *     Also answered at `/index.php?module=API&method=Live.getLastVisitsDetails`.
         */
        get: operations["Live.getLastVisitsDetails.query"];
        put?: never;
        /**
         * The most recent visits, newest first
         * @description Without `period` and `date`, the most recent visits overall; `period` and `date` go together.
         *     Ordered by last action time (then visit id), newest first; `filter_sort_order=asc` takes them oldest first, the window included (`filter_sort_column` is ignored, as in Matomo).
         *     `filter_limit=-1` returns at most 10,000 visits.
         *
         *     Also answered at `/index.php?module=API&method=Live.getLastVisitsDetails`.
         */
        post: operations["Live.getLastVisitsDetails"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Live.getCounters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Visits in the last minutes
         * @description Also answered at `/index.php?module=API&method=Live.getCounters`.
         */
        get: operations["Live.getCounters.query"];
        put?: never;
        /**
         * Visits in the last minutes
         * @description Also answered at `/index.php?module=API&method=Live.getCounters`.
         */
        post: operations["Live.getCounters"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Live.getVisitorProfile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A visitor's profile
         * @description A visitor's profile, for one site: their last visits (up to 100) aggregated (totals, first and last visit, pages, site searches, devices, continents, countries) and the `limitVisits` most recent (10 by default; a value that is not a number above 0 is the default) in `Live.getLastVisitsDetails`' format, newest first. `visitorId` defaults to the visitor of the site's most recent visit; `segment` keeps only the visits it matches. An empty array when there is no such visit.
         *
         *     Also answered at `/index.php?module=API&method=Live.getVisitorProfile`.
         */
        get: operations["Live.getVisitorProfile.query"];
        put?: never;
        /**
         * A visitor's profile
         * @description A visitor's profile, for one site: their last visits (up to 100) aggregated (totals, first and last visit, pages, site searches, devices, continents, countries) and the `limitVisits` most recent (10 by default; a value that is not a number above 0 is the default) in `Live.getLastVisitsDetails`' format, newest first. `visitorId` defaults to the visitor of the site's most recent visit; `segment` keeps only the visits it matches. An empty array when there is no such visit.
         *
         *     Also answered at `/index.php?module=API&method=Live.getVisitorProfile`.
         */
        post: operations["Live.getVisitorProfile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Annotations.getAll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Annotations, by site
         * @description Only the sites that have notes in the days asked, keyed by site id; `[]` when none has any
         *     (as Matomo answers). Without `date`, every note (a `period` alone is ignored). With `date`
         *     and `period`, those of that period, or of the `lastN` periods ending with it (capped per
         *     period as Matomo caps `lastN`; `0` means none). `period=range` covers its days and ignores
         *     `lastN`; a multiple date (`A,B`, `lastN`, `previousN`) covers its first to its last day.
         *
         *     Matomo's filters on a plain array apply to the sites: `filter_offset`/`filter_limit` (default:
         *     every site) slice them and, as PHP's `array_slice` does, renumber them: the answer is then
         *     a list of note lists (`[[{…}]]`), no longer keyed by site id.
         *
         *     Also answered at `/index.php?module=API&method=Annotations.getAll`.
         */
        get: operations["Annotations.getAll.query"];
        put?: never;
        /**
         * Annotations, by site
         * @description Only the sites that have notes in the days asked, keyed by site id; `[]` when none has any
         *     (as Matomo answers). Without `date`, every note (a `period` alone is ignored). With `date`
         *     and `period`, those of that period, or of the `lastN` periods ending with it (capped per
         *     period as Matomo caps `lastN`; `0` means none). `period=range` covers its days and ignores
         *     `lastN`; a multiple date (`A,B`, `lastN`, `previousN`) covers its first to its last day.
         *
         *     Matomo's filters on a plain array apply to the sites: `filter_offset`/`filter_limit` (default:
         *     every site) slice them and, as PHP's `array_slice` does, renumber them: the answer is then
         *     a list of note lists (`[[{…}]]`), no longer keyed by site id.
         *
         *     Also answered at `/index.php?module=API&method=Annotations.getAll`.
         */
        post: operations["Annotations.getAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Annotations.add": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Add an annotation
         * @description Returns the new annotation. A note longer than 255 characters is cut to its first 254 and
         *     ends with `…`, as Matomo cuts it.
         *
         *     Also answered at `/index.php?module=API&method=Annotations.add`.
         */
        get: operations["Annotations.add.query"];
        put?: never;
        /**
         * Add an annotation
         * @description Returns the new annotation. A note longer than 255 characters is cut to its first 254 and
         *     ends with `…`, as Matomo cuts it.
         *
         *     Also answered at `/index.php?module=API&method=Annotations.add`.
         */
        post: operations["Annotations.add"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/Annotations.delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delete an annotation
         * @description Its author, or anyone with write access to the site, may delete it; anyone else gets a
         *     Matomo error (status 200, as Matomo sends it).
         *
         *     Also answered at `/index.php?module=API&method=Annotations.delete`.
         */
        get: operations["Annotations.delete.query"];
        put?: never;
        /**
         * Delete an annotation
         * @description Its author, or anyone with write access to the site, may delete it; anyone else gets a
         *     Matomo error (status 200, as Matomo sends it).
         *
         *     Also answered at `/index.php?module=API&method=Annotations.delete`.
         */
        post: operations["Annotations.delete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/MultiSites.getAll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Key metrics of every site
         * @description Every site the caller can view (no `idSite`: Matomo's `getAll` takes none; one sent is
         *     ignored), or those `pattern` matches, one row per site with visits (every site with
         *     `enhanced=1`), sorted by visits. Evolutions compare each period with the one before,
         *     except for a `lastN`/`previousN` date, as Matomo.
         *     Also answered at `/index.php?module=API&method=MultiSites.getAll`.
         */
        get: operations["MultiSites.getAll.query"];
        put?: never;
        /**
         * Key metrics of every site
         * @description Every site the caller can view (no `idSite`: Matomo's `getAll` takes none; one sent is
         *     ignored), or those `pattern` matches, one row per site with visits (every site with
         *     `enhanced=1`), sorted by visits. Evolutions compare each period with the one before,
         *     except for a `lastN`/`previousN` date, as Matomo.
         *     Also answered at `/index.php?module=API&method=MultiSites.getAll`.
         */
        post: operations["MultiSites.getAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/MultiSites.getOne": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Key metrics of one site
         * @description One site's totals as one record, with their evolution against the period before
         *     (none for a `lastN`/`previousN` date).
         *     Also answered at `/index.php?module=API&method=MultiSites.getOne`.
         */
        get: operations["MultiSites.getOne.query"];
        put?: never;
        /**
         * Key metrics of one site
         * @description One site's totals as one record, with their evolution against the period before
         *     (none for a `lastN`/`previousN` date).
         *     Also answered at `/index.php?module=API&method=MultiSites.getOne`.
         */
        post: operations["MultiSites.getOne"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/OAuth2.getClients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every OAuth client
         * @description Most recently updated first. Secrets never appear.
         *
         *     Also answered at `/index.php?module=API&method=OAuth2.getClients`.
         */
        get: operations["OAuth2.getClients.query"];
        put?: never;
        /**
         * Every OAuth client
         * @description Most recently updated first. Secrets never appear.
         *
         *     Also answered at `/index.php?module=API&method=OAuth2.getClients`.
         */
        post: operations["OAuth2.getClients"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/OAuth2.getClient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One OAuth client
         * @description Also answered at `/index.php?module=API&method=OAuth2.getClient`.
         */
        get: operations["OAuth2.getClient.query"];
        put?: never;
        /**
         * One OAuth client
         * @description Also answered at `/index.php?module=API&method=OAuth2.getClient`.
         */
        post: operations["OAuth2.getClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/OAuth2.getScopes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The scopes and what they allow
         * @description Also answered at `/index.php?module=API&method=OAuth2.getScopes`.
         */
        get: operations["OAuth2.getScopes.query"];
        put?: never;
        /**
         * The scopes and what they allow
         * @description Also answered at `/index.php?module=API&method=OAuth2.getScopes`.
         */
        post: operations["OAuth2.getScopes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/OAuth2.createClient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an OAuth client
         * @description The secret of a confidential client is in the response, this once. POST only: the password confirmation is never read from a URL.
         *
         *     Also answered at `/index.php?module=API&method=OAuth2.createClient`.
         */
        post: operations["OAuth2.createClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/OAuth2.updateClient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change an OAuth client
         * @description Changing a public client to confidential returns its new secret; changing a confidential client to public removes its secret and revokes its tokens and codes. POST only.
         *
         *     Also answered at `/index.php?module=API&method=OAuth2.updateClient`.
         */
        post: operations["OAuth2.updateClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/OAuth2.rotateSecret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace a confidential client's secret
         * @description The old secret stops working at once. POST only.
         *
         *     Also answered at `/index.php?module=API&method=OAuth2.rotateSecret`.
         */
        post: operations["OAuth2.rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/OAuth2.setClientActive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Pause or resume an OAuth client
         * @description A paused client's tokens stop working at once, and it cannot get new ones until it is resumed.
         *
         *     Also answered at `/index.php?module=API&method=OAuth2.setClientActive`.
         */
        get: operations["OAuth2.setClientActive.query"];
        put?: never;
        /**
         * Pause or resume an OAuth client
         * @description A paused client's tokens stop working at once, and it cannot get new ones until it is resumed.
         *
         *     Also answered at `/index.php?module=API&method=OAuth2.setClientActive`.
         */
        post: operations["OAuth2.setClientActive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/OAuth2.deleteClient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Delete an OAuth client
         * @description Its tokens and codes are deleted with it. POST only.
         *
         *     Also answered at `/index.php?module=API&method=OAuth2.deleteClient`.
         */
        post: operations["OAuth2.deleteClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description One Matomo access level. Every token carries exactly one.
         * @enum {string}
         */
        Scope: "matomo:read" | "matomo:write" | "matomo:admin" | "matomo:superuser";
        /**
         * @description An OpenID Connect scope; `profile` and `email` need `openid`.
         * @enum {string}
         */
        IdentityScope: "openid" | "profile" | "email";
        AnyScope: components["schemas"]["Scope"] | components["schemas"]["IdentityScope"];
        /**
         * @description Space-separated: one Matomo scope, then the identity scopes granted, if any
         *     (`matomo:read`, `matomo:read openid email`).
         * @example matomo:read openid profile
         */
        GrantedScope: string;
        UserInfo: {
            /** @description The user's login. */
            sub: string;
            /** @description With `profile`. */
            preferred_username?: string;
            /** @description With `profile`: the login (the server keeps no other name). */
            name?: string;
            /** @description With `email`. */
            email?: string;
            /** @description With `email`: always false (the server does not verify addresses). */
            email_verified?: boolean;
        };
        EndSessionForm: {
            id_token_hint?: string;
            client_id?: components["schemas"]["ClientId"];
            post_logout_redirect_uri?: string;
            state?: string;
            /** @description With `confirm`, the session's anti-CSRF token. */
            csrf_token?: string;
            /**
             * @description The user's answer on the confirmation page.
             * @enum {string}
             */
            confirm?: "yes" | "no";
        };
        OpenIdProviderMetadata: components["schemas"]["AuthorizationServerMetadata"] & {
            /** Format: uri */
            userinfo_endpoint: string;
            /** Format: uri */
            end_session_endpoint: string;
            /** @description The algorithms of the published keys (RS256 unless `ACCESS_TOKEN_ALG` says otherwise). */
            id_token_signing_alg_values_supported: components["schemas"]["SigningAlgorithm"][];
            subject_types_supported: "public"[];
            claims_supported: string[];
            prompt_values_supported?: string[];
            /** @constant */
            request_parameter_supported?: false;
            /** @constant */
            request_uri_parameter_supported?: false;
        };
        /** @enum {string} */
        GrantType: "authorization_code" | "client_credentials" | "refresh_token";
        /**
         * @description A client identifier (32 hex characters for clients created here).
         * @example analytics_app
         */
        ClientId: string;
        /**
         * @description 43 to 128 characters from the unreserved set (RFC 7636 §4.1).
         * @example E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
         */
        PkceString: string;
        /**
         * @description `client_secret_post` credentials, or `client_id` alone for a public client. Never
         *     together with an `Authorization: Basic` header.
         */
        ClientCredentials: {
            client_id?: components["schemas"]["ClientId"];
            client_secret?: string;
        };
        AuthorizationCodeTokenRequest: components["schemas"]["ClientCredentials"] & {
            /** @constant */
            grant_type: "authorization_code";
            code: string;
            /** @description The exact `redirect_uri` of the authorization request, when it had one. */
            redirect_uri?: string;
            code_verifier?: components["schemas"]["PkceString"];
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "authorization_code";
        };
        ClientCredentialsTokenRequest: components["schemas"]["ClientCredentials"] & {
            /** @constant */
            grant_type: "client_credentials";
            /** @description Must be the client's scope; omitted means the client's scope. */
            scope?: components["schemas"]["Scope"];
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "client_credentials";
        };
        RefreshTokenRequest: components["schemas"]["ClientCredentials"] & {
            /** @constant */
            grant_type: "refresh_token";
            refresh_token: string;
            /**
             * @description The same or a lower Matomo scope than the grant's, optionally with some of the
             *     identity scopes granted (`matomo:read openid`); omitted means the same.
             */
            scope?: components["schemas"]["GrantedScope"];
        } & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            grant_type: "refresh_token";
        };
        TokenRequest: components["schemas"]["AuthorizationCodeTokenRequest"] | components["schemas"]["ClientCredentialsTokenRequest"] | components["schemas"]["RefreshTokenRequest"];
        TokenResponse: {
            /** @constant */
            token_type: "Bearer";
            /** @description Seconds until the access token expires. */
            expires_in: number;
            /** @description A JWT (RFC 9068, `typ` `at+jwt`), RS256 unless `ACCESS_TOKEN_ALG` says ES256 or EdDSA. */
            access_token: string;
            /**
             * @description Opaque. Issued with the authorization code and refresh grants when the client may use
             *     the refresh grant; never with client credentials. Rotated on every use.
             */
            refresh_token?: string;
            scope: components["schemas"]["GrantedScope"];
            /**
             * @description When the user granted `openid` (authorization code and refresh grants only): an
             *     JWT with `iss`, `sub` (the login), `aud` (the client id), `exp`, `iat`, `auth_time`,
             *     `sid`, `at_hash` and, on the first one only, the request's `nonce`.
             */
            id_token?: string;
        };
        /** @enum {string} */
        OAuthErrorCode: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope" | "unsupported_token_type" | "access_denied" | "unsupported_response_type" | "login_required" | "consent_required" | "interaction_required" | "request_not_supported" | "request_uri_not_supported" | "invalid_token" | "insufficient_scope" | "server_error" | "temporarily_unavailable";
        /** @description RFC 6749 §5.2. */
        OAuthError: {
            error: components["schemas"]["OAuthErrorCode"];
            /** @description For developers; never contains a token, secret, code or verifier. */
            error_description?: string;
        };
        RevocationRequest: components["schemas"]["ClientCredentials"] & {
            token: string;
            token_type_hint?: components["schemas"]["TokenTypeHint"];
        };
        IntrospectionRequest: components["schemas"]["ClientCredentials"] & {
            token: string;
            token_type_hint?: components["schemas"]["TokenTypeHint"];
        };
        /** @enum {string} */
        TokenTypeHint: "access_token" | "refresh_token";
        ActiveTokenDescription: {
            /** @constant */
            active: true;
            /**
             * @description `Bearer` for access tokens, `refresh_token` for refresh tokens.
             * @enum {string}
             */
            token_type: "Bearer" | "refresh_token";
            scope: components["schemas"]["GrantedScope"];
            client_id: components["schemas"]["ClientId"];
            /** @description The user's login, or the client id for client credentials tokens. */
            sub: string;
            /** @description The user's login (absent for client credentials tokens). */
            username?: string;
            aud?: string;
            iss: string;
            iat: number;
            exp: number;
            jti?: string;
        };
        InactiveTokenDescription: {
            /** @constant */
            active: false;
        };
        IntrospectionResponse: components["schemas"]["ActiveTokenDescription"] | components["schemas"]["InactiveTokenDescription"];
        /**
         * @description A public signing key, with the one algorithm it signs with (`ACCESS_TOKEN_ALG` when it was
         *     made): RSA for RS256, P-256 for ES256, Ed25519 for EdDSA. Private members never appear.
         */
        JsonWebKey: components["schemas"]["RsaJsonWebKey"] | components["schemas"]["EcJsonWebKey"] | components["schemas"]["OkpJsonWebKey"];
        RsaJsonWebKey: {
            /** @constant */
            kty: "RSA";
            kid: string;
            /** @constant */
            use: "sig";
            /** @constant */
            alg: "RS256";
            n: string;
            e: string;
        };
        EcJsonWebKey: {
            /** @constant */
            kty: "EC";
            kid: string;
            /** @constant */
            use: "sig";
            /** @constant */
            alg: "ES256";
            /** @constant */
            crv: "P-256";
            x: string;
            y: string;
        };
        OkpJsonWebKey: {
            /** @constant */
            kty: "OKP";
            kid: string;
            /** @constant */
            use: "sig";
            /** @constant */
            alg: "EdDSA";
            /** @constant */
            crv: "Ed25519";
            x: string;
        };
        /**
         * @description A JWS algorithm the server signs access and ID tokens with (`ACCESS_TOKEN_ALG`).
         * @enum {string}
         */
        SigningAlgorithm: "RS256" | "ES256" | "EdDSA";
        JsonWebKeySet: {
            keys: components["schemas"]["JsonWebKey"][];
        };
        /** @description RFC 8414 §2, with RFC 9207's `authorization_response_iss_parameter_supported`. */
        AuthorizationServerMetadata: {
            /** Format: uri */
            issuer: string;
            /** Format: uri */
            authorization_endpoint: string;
            /** Format: uri */
            token_endpoint: string;
            /** Format: uri */
            revocation_endpoint: string;
            /** Format: uri */
            introspection_endpoint: string;
            /** Format: uri */
            jwks_uri: string;
            scopes_supported: components["schemas"]["AnyScope"][];
            response_types_supported: "code"[];
            response_modes_supported?: "query"[];
            grant_types_supported: components["schemas"]["GrantType"][];
            token_endpoint_auth_methods_supported: components["schemas"]["ClientAuthMethod"][];
            revocation_endpoint_auth_methods_supported?: components["schemas"]["ClientAuthMethod"][];
            introspection_endpoint_auth_methods_supported?: components["schemas"]["ClientAuthMethod"][];
            code_challenge_methods_supported: "S256"[];
            /** @constant */
            authorization_response_iss_parameter_supported: true;
            /**
             * @description The algorithms of the published keys, which sign access tokens and ID tokens alike
             *     (OpenID Connect Discovery's member, which RFC 8414 §2 lets authorization servers use).
             */
            id_token_signing_alg_values_supported?: components["schemas"]["SigningAlgorithm"][];
        };
        /** @enum {string} */
        ClientAuthMethod: "client_secret_basic" | "client_secret_post" | "none";
        CsrfForm: {
            /** @description The anti-CSRF token from the page that holds the form. */
            csrf_token: string;
        };
        LoginForm: components["schemas"]["CsrfForm"] & {
            login: string;
            password: string;
            /** @description Where to go next; only this server's own pages are followed. */
            return_to?: string;
        };
        LogoutForm: components["schemas"]["CsrfForm"] & {
            /**
             * @description Also revoke every grant of the user ("Sign out of all applications").
             * @enum {string}
             */
            everywhere?: "1";
        };
        RevokeApplicationForm: components["schemas"]["CsrfForm"] & {
            /** @description The application whose access the user revokes. */
            client_id: string;
        };
        ConsentDecision: components["schemas"]["CsrfForm"] & {
            /** @enum {string} */
            decision: "allow" | "deny";
            /**
             * @description The scope the user grants; one of the scopes the consent page offered. Required
             *     with `allow`.
             */
            selected_scope?: components["schemas"]["Scope"];
        };
        /**
         * @description The response format, in any letter case, rendered as Matomo renders it. `json`
         *     (`application/json; charset=utf-8`): the schemas of this contract. `xml`
         *     (`text/xml; charset=utf-8`): `<result>` around a value, a record's columns or a table's
         *     `<row>`s; `<results>` with a `<result idSite="…">` or `<result date="…">` per site or
         *     period. `csv` and `tsv` (`application/vnd.ms-excel`, `Content-Disposition: attachment`):
         *     a header line and a line per row, map keys (`idSite`, `date`) first, row metadata last as
         *     `metadata_…`, UTF-16LE with a byte order mark unless `convertToUnicode=0`, and
         *     `No data available` for an empty result. Errors come in the same format (`<result><error
         *     message="…" /></result>` in XML, `Error: …` as `text/html` in CSV and TSV); an unknown
         *     format is answered `Error: Renderer format '…' not valid. …` as `text/plain`, with status
         *     200. Omitted means XML, Matomo's default, errors included (an unknown method, a missing
         *     token): send `format=json` to get JSON.
         * @enum {string}
         */
        Format: "json" | "xml" | "csv" | "tsv" | "JSON" | "XML" | "CSV" | "TSV";
        /**
         * @description A site id, a comma-separated list of ids, or `all` (every site the caller can view), read
         *     as Matomo reads it: entries are trimmed, empty ones (`1,`), words and numbers below 1 are
         *     dropped, and duplicates count once. Results are keyed by site id for `all` and for more
         *     than one site.
         * @example 1,2
         */
        IdSites: number | string;
        /**
         * @description One site id.
         * @example 1
         */
        IdSite: number | string;
        /**
         * @description The period each result covers: a day, a week (Monday to Sunday), a month, a year, or with
         *     `range` the days `date` names, as one period.
         * @enum {string}
         */
        Period: "day" | "week" | "month" | "year" | "range";
        /**
         * @description As Matomo reads it, in the site's timezone (in UTC for several sites):
         *     - one day: `YYYY-MM-DD` (also `YYYY-M-D`; a day past the month's end rolls over, as
         *       PHP's `strtotime`), `today`, `now`, `yesterday`, `yesterdaySameTime`, `tomorrow`,
         *       `lastWeek`, `lastMonth`, `lastYear` (the same day a week, a month or a year ago);
         *     - `lastN`: the N periods ending with the current one; `previousN`: the N periods before
         *       it. N is capped per period as Matomo caps it (1825 days, 520 weeks, 120 months, 10 years);
         *       `last` and `last0` are one period;
         *     - a range `start,end`: each a `YYYY-MM-DD` or `lastWeek`/`lastMonth`/`lastYear`, and the
         *       end may also be `today`, `now` or `yesterday`. An end after 31 December ten years ahead
         *       is moved back to it.
         *
         *     With `period` other than `range`, `lastN`, `previousN` and a range give one result per
         *     period, keyed by period label. With `period=range`, they give one period; `A,A` is the
         *     day A. Other phrases Matomo's `strtotime` knows are refused with Matomo's date format error.
         * @example 2026-11-01
         */
        Date: string;
        /**
         * @description How processed metrics are written. Matomo's default for API requests is `bc`: rates such as
         *     `bounce_rate` as percentages (`"43%"`), other metrics as numbers. With `0` (or sent empty),
         *     rates are raw ratios (`0.43`). With `1`, `all` or any other value, each report's processed
         *     metrics are written as Matomo's formatter writes them, after the generic filters:
         *     `avg_time_on_site` (and VisitFrequency's `_returning`/`_new` ones) as a sentence
         *     (`"5 min 13s"`, `"38s"`), `avg_time_on_page` as a clock (`"00:01:23"`), rates as
         *     percentages; counts, `nb_actions_per_visit` and revenues stay numbers. `all` also writes
         *     every numeric row column whose name contains `revenue` (`revenue`, `revenue_new_visit`,
         *     `goal_1_revenue`, MultiSites' `revenue_evolution_trend`) as money in the site's currency,
         *     as Matomo's English formatter: the symbol first, no decimals when whole (`"€10"`,
         *     `"$1,000"`), else two (`"$42.26"`); a row's nested `goals` stay numbers, as do
         *     `MultiSites.getAll`'s revenues and `Goals.getGoals`.
         * @default bc
         * @example 0
         */
        FormatMetrics: string;
        /**
         * @description Matomo's segment: only the visits that match count. Conditions are `name` `operator` `value`,
         *     with the operators `==`, `!=`, `<`, `<=`, `>`, `>=`, `=@` (contains), `!@` (does not contain),
         *     `=^` (starts with) and `=$` (ends with); `,` is OR and `;` is AND, and OR binds tighter
         *     (`A,B;C` is `(A or B) and C`). Values are URL-encoded inside the parameter (a report row's
         *     `segment` is ready to use); `==` and `!=` with an empty value test for null or empty.
         *     Action segments (`pageUrl`, `pageTitle`, `downloadUrl`, `outlinkUrl`, `siteSearchKeyword`)
         *     keep the visits with a matching action, and all of their actions; with `!=` and `!@`, the
         *     visits without one. Number segments compare as MySQL does, reading the value's leading
         *     number (`abc` as 0, so `visitCount>=abc` keeps every visit); `daysSinceFirstVisit` compares
         *     the seconds since the first visit with the whole days times 86400, as Matomo does. Server
         *     times are UTC, as Matomo stores them. Supported names:
         *     visits `visitId`, `visitorId`, `visitorType`, `visitCount`, `visitConverted`,
         *     `visitDuration`, `actions`, `daysSinceLastVisit`, `secondsSinceLastVisit`,
         *     `daysSinceFirstVisit`, `secondsSinceFirstVisit`;
         *     referrers `referrerType`, `referrerName`, `referrerKeyword`, `referrerUrl`;
         *     location and language `countryCode`, `countryName`, `continentCode`, `regionCode`, `city`,
         *     `latitude`, `longitude`, `languageCode`, `visitIp` (also ranges: `visitIp>=198.51.100.0;visitIp<=198.51.100.255`);
         *     time `visitServerHour`, `visitStartServerHour`, `visitStartServerMinute`,
         *     `visitEndServerMinute`, `visitEndServerSecond`, `visitEndServerDate`,
         *     `visitEndServerDayOfMonth`, `visitEndServerDayOfWeek`, `visitEndServerDayOfYear`,
         *     `visitEndServerWeekOfYear`, `visitEndServerMonth`, `visitEndServerQuarter`,
         *     `visitEndServerYear`, `visitLocalHour`, `visitLocalMinute`, `actionServerHour`,
         *     `actionServerMinute`;
         *     devices `deviceType`, `resolution`, `browserCode`, `browserName`, `operatingSystemCode`,
         *     `operatingSystemName`;
         *     actions `pageUrl`, `pageTitle`, `downloadUrl`, `outlinkUrl`, `siteSearchKeyword`,
         *     `eventCategory`, `eventAction`, `eventName`, `entryPageUrl`, `entryPageTitle`,
         *     `exitPageUrl`, `exitPageTitle`. Another name, or a malformed condition, is
         *     Matomo's error (`Segment 'x' is not a supported segment.`, `The segment condition 'x' is not
         *     valid.`).
         * @example countryCode==de,countryCode==fr;visitorType==new
         */
        Segment: string;
        /**
         * @description A goal's id; absent or empty for all goals. An id the site lacks gives zeros, as in Matomo.
         * @example 1
         */
        IdGoal: number | string;
        /**
         * @description Comma-separated metric names (`nb_conversions,conversion_rate`) to keep; the suffixed columns follow their metric.
         * @example conversion_rate
         */
        GoalsColumns: string;
        /**
         * @description `1`: with no `idGoal`, every goal's own metrics as `goal_<idgoal>_…` columns, and `nb_visits`.
         * @example 1
         */
        ShowAllGoalSpecificMetrics: string;
        /**
         * @description `1` orders the goals by name.
         * @example 1
         */
        GoalsOrderByName: string;
        GoalsGetGoalsParams: components["schemas"]["FormatParams"] & {
            idSite: components["schemas"]["IdSites"];
            orderByName?: components["schemas"]["GoalsOrderByName"];
        };
        GoalsGetParams: components["schemas"]["PeriodParams"] & {
            format_metrics?: components["schemas"]["FormatMetrics"];
            idGoal?: components["schemas"]["IdGoal"];
            columns?: components["schemas"]["GoalsColumns"];
            showAllGoalSpecificMetrics?: components["schemas"]["ShowAllGoalSpecificMetrics"];
        };
        VisitsSummaryParams: components["schemas"]["PeriodParams"] & {
            format_metrics?: components["schemas"]["FormatMetrics"];
            columns?: components["schemas"]["RecordColumns"];
        };
        /** @description At most this many rows of each table, subtables aside (default 100); `-1` for all. A value that is not a whole number is ignored, as Matomo ignores it. */
        FilterLimit: number | string;
        /** @description Rows to skip first. */
        FilterOffset: number | string;
        /**
         * @description The column to sort by (default `nb_visits`); a column the rows lack sorts by `nb_visits`. Ties are broken by `label`, or by `nb_visits`.
         * @example nb_visits
         */
        FilterSortColumn: string;
        /**
         * @description `desc` (the default) or `asc`; any other value is `desc`, as in Matomo.
         * @example asc
         */
        FilterSortOrder: string;
        /**
         * @description A case-insensitive regular expression; rows whose column does not match are removed (the recursive form keeps rows with a matching row below them).
         * @example ^/blog
         */
        FilterPattern: string;
        /**
         * @description The column (or metadata such as `code`) `filter_pattern` matches; `label` by default.
         * @example label
         */
        FilterColumn: string;
        /** @description Keeps this many rows per table and sums the rest into one row labelled `Others`. */
        FilterTruncate: number | string;
        /**
         * @description Comma-separated columns of the record to load and show, as Matomo reads its `columns`
         *     parameter: each name once; absent, empty or `0` is every column. A name the record does
         *     not have is ignored without an error (no known name gives `[]`). A processed column loads
         *     the columns it is computed from (`bounce_rate` reads `bounce_count` and `nb_visits`) but
         *     shows only itself. One column is read as its value, as Matomo renders a one-column
         *     record: `{"value": 5}`, or the values keyed by period label and/or site id. For
         *     `VisitFrequency.get` the names carry the side's suffix (`nb_visits_new`,
         *     `bounce_rate_returning`); a side no name asks for is left out.
         * @example nb_visits
         */
        RecordColumns: string;
        /**
         * @description Comma-separated columns to keep (with `label`, and the row's metadata such as `segment` and `url`).
         * @example nb_visits,nb_actions
         */
        ShowColumns: string;
        /**
         * @description Comma-separated columns to remove, in subtables too.
         * @example max_actions,sum_visit_length
         */
        HideColumns: string;
        /**
         * @description Only the row with this label (URL-encoded); `>` separates the labels of a path into subtables (`blog>2026`). Several as `label[]`. Turns `filter_limit` and `filter_truncate` off.
         * @example blog>2026
         */
        LabelFilter: string;
        /** @description Matomo's generic filters, applied in Matomo's order (pattern, recursive pattern, sort, truncate, limit, then columns and label), to every table of the result. */
        GenericFilterParams: {
            filter_sort_column?: components["schemas"]["FilterSortColumn"];
            filter_sort_order?: components["schemas"]["FilterSortOrder"];
            filter_pattern?: components["schemas"]["FilterPattern"];
            filter_column?: components["schemas"]["FilterColumn"];
            filter_pattern_recursive?: components["schemas"]["FilterPattern"];
            filter_column_recursive?: components["schemas"]["FilterColumn"];
            filter_truncate?: components["schemas"]["FilterTruncate"];
            showColumns?: components["schemas"]["ShowColumns"];
            hideColumns?: components["schemas"]["HideColumns"];
            hideColumnsRecursively?: components["schemas"]["Flag"];
            label?: components["schemas"]["LabelFilter"];
            disable_generic_filters?: components["schemas"]["Flag"];
        };
        /**
         * @description A Matomo boolean, `1` or `0`.
         * @enum {unknown}
         */
        Flag: 0 | 1 | "0" | "1";
        /** @description With `1`, rows that have a subtable carry it in `subtable`, recursively. */
        Expanded: components["schemas"]["Flag"];
        /** @description With `1`, subtables are flattened into one list whose labels join the path. */
        Flat: components["schemas"]["Flag"];
        /** @description The `idsubdatatable` of a row, to fetch that row's subtable. */
        IdSubtable: number | string;
        /** @enum {string} */
        ReferrerType: "direct" | "search" | "website" | "campaign" | "social";
        /**
         * @description Matomo's referrer type id (`Common::REFERRER_TYPE_*`): 1 direct entry, 2 search engine, 3 website, 6 campaign, 7 social network.
         * @enum {integer}
         */
        ReferrerTypeId: 1 | 2 | 3 | 6 | 7;
        /**
         * @description Keeps the referrer types whose id (1 direct entry, 2 search engine, 3 website, 6 campaign,
         *     7 social network) matches this case-insensitive regular expression, as Matomo's `Pattern`
         *     filter on the report's numeric labels: `2` keeps the search engines, a type name such as
         *     `search` matches nothing. `0` or `false` keep every type.
         */
        ReferrerTypeFilter: components["schemas"]["ReferrerTypeId"] | string;
        /** @description At most this many sites. */
        SiteLimit: number | string;
        /**
         * @description Deprecated in Matomo, still honoured: the number of visits, from the first (`filter_limit`
         *     and `filter_offset` are then ignored). Read as PHP's `(int)` reads it: the leading number
         *     (`3,10` is 3), 0 without one (no visits); a negative number is every visit.
         * @example 10
         */
        CountVisitorsToFetch: number | string;
        /** @description Only visits whose last action is after this Unix time. */
        MinTimestamp: number | string;
        /** @description With `1`, visits come without their `actionDetails`. */
        DoNotFetchActions: components["schemas"]["Flag"];
        /** @description The window, in minutes (1 to 2880). */
        LastMinutes: number | string;
        /**
         * @description Only annotations of the last N periods ending at `date`; `0` means no `lastN`. Capped as
         *     Matomo caps it (1825 days, 520 weeks, 120 months, 10 years).
         */
        LastN: number | string;
        /** @description `1` to resume the client, `0` to pause it. */
        ActiveFlag: components["schemas"]["Flag"];
        /**
         * @description The signed-in user's password, confirming a sensitive change (as the Matomo plugin asks
         *     since 5.1.0). Read only from a POST body, never from the URL.
         */
        PasswordConfirmation: string;
        /**
         * @description A list, sent as repeated form fields (`name[]=a&name[]=b`, PHP style, or `name=a&name=b`),
         *     or as one string with one item per line (or comma-separated, for site URLs).
         */
        StringList: string[] | string;
        /** @example Demo Shop */
        SiteName: string;
        /**
         * @description An IANA timezone (`Europe/Berlin`) or `UTC`.
         * @example UTC
         */
        Timezone: string;
        /** @example EUR */
        Currency: string;
        /** @description Set only by a super user; anyone else's is ignored, as in Matomo. Empty clears it. */
        SiteGroup: string;
        /**
         * @description The first day reports cover (`ts_created`): `YYYY-MM-DD`, `today` or `yesterday` (UTC).
         *     `addSite` defaults to now.
         * @example 2026-11-28
         */
        SiteStartDate: string;
        /**
         * @description A comma-separated list (`q,query`), or repeated form fields (`name[]=a&name[]=b`).
         *     Entries are trimmed, empty and repeated ones dropped; sent empty, the list is cleared.
         */
        CommaList: string[] | string;
        /**
         * @description `0` the global default, `1` keep URL fragments (`#…`) when tracking, `2` remove them.
         * @enum {unknown}
         */
        KeepUrlFragments: 0 | 1 | 2 | "0" | "1" | "2";
        /**
         * @description Only `website` is served here; empty means `website`, as in Matomo.
         * @enum {unknown}
         */
        SiteType: "" | "website";
        /**
         * Format: date
         * @description `YYYY-MM-DD`.
         * @example 2026-11-28
         */
        Day: string;
        /**
         * @description At most 255 characters are kept; a longer note is cut to 254 and `…`.
         * @example Newsletter sent
         */
        AnnotationNote: string;
        NoteId: number | string;
        BulkRequestParams: components["schemas"]["FormatParams"] & {
            /** @description One API call per entry, as a URL-encoded query string. */
            "urls[]": string[];
        };
        /** @description One entry per inner call, in order; a call that failed has its Matomo error object. */
        BulkRequestResult: components["schemas"]["BulkRequestValue"][];
        /** @description An inner call's JSON result, whatever its method (see that method's own response). */
        BulkRequestValue: components["schemas"]["BulkRequestObject"] | components["schemas"]["BulkRequestObject"][] | components["schemas"]["BulkRequestScalar"][] | components["schemas"]["BulkRequestScalar"];
        BulkRequestObject: {
            [key: string]: components["schemas"]["BulkRequestValue"];
        };
        BulkRequestScalar: string | number | boolean | null;
        FormatParams: {
            format?: components["schemas"]["Format"];
        };
        MultiSitesAllParams: components["schemas"]["FormatParams"] & components["schemas"]["GenericFilterParams"] & {
            period: components["schemas"]["Period"];
            date: components["schemas"]["Date"];
            segment?: components["schemas"]["Segment"];
            format_metrics?: components["schemas"]["FormatMetrics"];
            filter_limit?: components["schemas"]["FilterLimit"];
            filter_offset?: components["schemas"]["FilterOffset"];
            enhanced?: components["schemas"]["MultiSitesEnhanced"];
            pattern?: components["schemas"]["MultiSitesPattern"];
        };
        /**
         * @description `1` adds the conversions, orders and ecommerce revenue, and keeps sites without visits.
         * @example 1
         */
        MultiSitesEnhanced: string;
        /**
         * @description Only the sites whose name, main URL or group contains this text (case-insensitive), as Matomo's `SitesManager.getPatternMatchSites`; also a site id.
         * @example shop
         */
        MultiSitesPattern: string;
        MultiSitesOneParams: components["schemas"]["FormatParams"] & {
            enhanced?: components["schemas"]["MultiSitesEnhanced"];
            idSite: components["schemas"]["IdSite"];
            period: components["schemas"]["Period"];
            date: components["schemas"]["Date"];
            segment?: components["schemas"]["Segment"];
            format_metrics?: components["schemas"]["FormatMetrics"];
            showColumns?: components["schemas"]["ShowColumns"];
            hideColumns?: components["schemas"]["HideColumns"];
        };
        SiteParams: components["schemas"]["FormatParams"] & {
            idSite: components["schemas"]["IdSite"];
        };
        PeriodParams: components["schemas"]["FormatParams"] & {
            idSite: components["schemas"]["IdSites"];
            period: components["schemas"]["Period"];
            date: components["schemas"]["Date"];
            segment?: components["schemas"]["Segment"];
        };
        ReportParams: components["schemas"]["PeriodParams"] & components["schemas"]["GenericFilterParams"] & {
            filter_limit?: components["schemas"]["FilterLimit"];
            filter_offset?: components["schemas"]["FilterOffset"];
        };
        ReferrerSubtableParams: components["schemas"]["ReportParams"] & {
            idSubtable: components["schemas"]["IdSubtable"];
        };
        SocialUrlsParams: components["schemas"]["ReportParams"] & {
            idSubtable?: components["schemas"]["IdSubtable"];
        };
        TreeReportParams: components["schemas"]["ReportParams"] & {
            expanded?: components["schemas"]["Expanded"];
            flat?: components["schemas"]["Flat"];
            idSubtable?: components["schemas"]["IdSubtable"];
        };
        EventsParams: components["schemas"]["ReportParams"] & {
            expanded?: components["schemas"]["Expanded"];
            flat?: components["schemas"]["Flat"];
            secondaryDimension?: components["schemas"]["EventSecondaryDimension"];
        };
        EventsSubtableParams: components["schemas"]["ReportParams"] & {
            idSubtable: components["schemas"]["IdSubtable"];
        };
        /**
         * @description The dimension of the subtables; which ones each report takes is in its description.
         * @enum {string}
         */
        EventSecondaryDimension: "eventCategory" | "eventAction" | "eventName";
        ReferrerTypeParams: components["schemas"]["FormatParams"] & components["schemas"]["GenericFilterParams"] & {
            idSite: components["schemas"]["IdSite"];
            period: components["schemas"]["Period"];
            date: components["schemas"]["Date"];
            segment?: components["schemas"]["Segment"];
            filter_limit?: components["schemas"]["FilterLimit"];
            filter_offset?: components["schemas"]["FilterOffset"];
            typeReferrer?: components["schemas"]["ReferrerTypeFilter"];
            expanded?: components["schemas"]["Expanded"];
            idSubtable?: components["schemas"]["IdSubtable"];
        };
        SitesWithViewAccessParams: components["schemas"]["FormatParams"] & {
            limit?: components["schemas"]["SiteLimit"];
        };
        SiteSettings: {
            /** @description The site's URLs; the first is its main URL. */
            urls?: components["schemas"]["StringList"];
            ecommerce?: components["schemas"]["Flag"];
            siteSearch?: components["schemas"]["Flag"];
            timezone?: components["schemas"]["Timezone"];
            currency?: components["schemas"]["Currency"];
            excludedIps?: components["schemas"]["StringList"];
            group?: components["schemas"]["SiteGroup"];
            startDate?: components["schemas"]["SiteStartDate"];
            searchKeywordParameters?: components["schemas"]["CommaList"];
            searchCategoryParameters?: components["schemas"]["CommaList"];
            excludedQueryParameters?: components["schemas"]["CommaList"];
            excludedUserAgents?: components["schemas"]["CommaList"];
            excludedReferrers?: components["schemas"]["CommaList"];
            keepURLFragments?: components["schemas"]["KeepUrlFragments"];
            excludeUnknownUrls?: components["schemas"]["Flag"];
            type?: components["schemas"]["SiteType"];
        };
        AddSiteParams: components["schemas"]["FormatParams"] & components["schemas"]["SiteSettings"] & {
            siteName: components["schemas"]["SiteName"];
        };
        UpdateSiteParams: components["schemas"]["SiteParams"] & components["schemas"]["SiteSettings"] & {
            siteName?: components["schemas"]["SiteName"];
        };
        LastVisitsParams: components["schemas"]["FormatParams"] & components["schemas"]["GenericFilterParams"] & {
            idSite: components["schemas"]["IdSites"];
            period?: components["schemas"]["Period"];
            date?: components["schemas"]["Date"];
            segment?: components["schemas"]["Segment"];
            filter_limit?: components["schemas"]["FilterLimit"];
            filter_offset?: components["schemas"]["FilterOffset"];
            countVisitorsToFetch?: components["schemas"]["CountVisitorsToFetch"];
            minTimestamp?: components["schemas"]["MinTimestamp"];
            doNotFetchActions?: components["schemas"]["DoNotFetchActions"];
        };
        VisitorProfileParams: components["schemas"]["SiteParams"] & {
            visitorId?: string;
            segment?: components["schemas"]["Segment"];
            limitVisits?: string;
        };
        LiveCountersParams: components["schemas"]["SiteParams"] & {
            lastMinutes: components["schemas"]["LastMinutes"];
            segment?: components["schemas"]["Segment"];
        };
        AnnotationsGetAllParams: components["schemas"]["FormatParams"] & {
            idSite: components["schemas"]["IdSites"];
            date?: components["schemas"]["Date"];
            period?: components["schemas"]["Period"];
            lastN?: components["schemas"]["LastN"];
        };
        AnnotationAddParams: components["schemas"]["SiteParams"] & {
            /** @description The day the note is about. */
            date: components["schemas"]["Day"];
            note: components["schemas"]["AnnotationNote"];
            starred?: components["schemas"]["Flag"];
        };
        AnnotationDeleteParams: components["schemas"]["SiteParams"] & {
            idNote: components["schemas"]["NoteId"];
        };
        ClientIdParams: components["schemas"]["FormatParams"] & {
            clientId: components["schemas"]["ClientId"];
        };
        ClientSettings: {
            name: string;
            description?: string;
            /** @description Any of `authorization_code`, `client_credentials`, `refresh_token`. */
            grantTypes: [
                components["schemas"]["GrantType"],
                ...components["schemas"]["GrantType"][]
            ] | string;
            scope: components["schemas"]["Scope"];
            /**
             * @description Required with `authorization_code`. Absolute `https` URIs, `http` only on loopback
             *     (`127.0.0.1`, `[::1]`, `localhost`), or a private-use scheme for native apps; no
             *     fragment, wildcard or whitespace.
             */
            redirectUris?: components["schemas"]["StringList"];
            /**
             * @description The OpenID Connect scopes the client may ask for: any of `openid`, `profile`, `email`
             *     (`profile` and `email` need `openid`). Omitted on create means none; on update, kept;
             *     sent empty (`identityScopes=`), removed.
             */
            identityScopes?: components["schemas"]["StringList"];
            /**
             * @description Where the end-session endpoint may send the browser back after signing out; the same
             *     rules and matching as `redirectUris`. Omitted on create means none; on update, kept;
             *     sent empty, removed.
             */
            postLogoutRedirectUris?: components["schemas"]["StringList"];
            /**
             * @default confidential
             * @enum {string}
             */
            type: "confidential" | "public";
            active?: components["schemas"]["Flag"];
        };
        CreateClientParams: components["schemas"]["FormatParams"] & components["schemas"]["ClientSettings"] & {
            passwordConfirmation: components["schemas"]["PasswordConfirmation"];
        };
        UpdateClientParams: components["schemas"]["ClientIdParams"] & components["schemas"]["ClientSettings"] & {
            passwordConfirmation: components["schemas"]["PasswordConfirmation"];
        };
        ConfirmedClientIdParams: components["schemas"]["ClientIdParams"] & {
            passwordConfirmation: components["schemas"]["PasswordConfirmation"];
        };
        SetClientActiveParams: components["schemas"]["ClientIdParams"] & {
            active: components["schemas"]["ActiveFlag"];
        };
        MatomoError: {
            /** @constant */
            result: "error";
            message: string;
        };
        /** @description What Matomo returns for a method that returns nothing. */
        MatomoSuccess: {
            /** @constant */
            result: "success";
            /** @constant */
            message: "ok";
        };
        StringValue: {
            value: string;
        };
        IntegerValue: {
            value: number;
        };
        /** @description Matomo's rendering of a period without data. */
        EmptyResult: [
        ];
        /**
         * @description A site as Matomo's `SitesManager` shows it, its fields in Matomo's order. `creator_login`
         *     is shown to super users only, as in Matomo.
         */
        Site: {
            idsite: number;
            name: string;
            main_url: string;
            /** @description `YYYY-MM-DD HH:MM:SS`, UTC. */
            ts_created: string;
            /** @enum {integer} */
            ecommerce: 0 | 1;
            /** @enum {integer} */
            sitesearch: 0 | 1;
            /** @description Comma-separated; empty means the global default. */
            sitesearch_keyword_parameters: string;
            /** @description Comma-separated. */
            sitesearch_category_parameters: string;
            timezone: string;
            currency: string;
            /** @enum {integer} */
            exclude_unknown_urls: 0 | 1;
            /** @description Comma-separated. */
            excluded_ips: string;
            /** @description Comma-separated. */
            excluded_parameters: string;
            /** @description Comma-separated. */
            excluded_user_agents: string;
            /** @description Comma-separated. */
            excluded_referrers: string;
            group: string;
            /** @constant */
            type: "website";
            /**
             * @description `0` the global default, `1` keep, `2` remove.
             * @enum {integer}
             */
            keep_url_fragment: 0 | 1 | 2;
            /** @description Shown to super users only. */
            creator_login?: string;
            /** @description The time zone as Matomo labels it in English ("UTC", "Japan", "United States - New York"). */
            timezone_name: string;
            /** @description The currency's English name ("US Dollar"), or its code. */
            currency_name: string;
        };
        /** @description Site ids, ascending. */
        SiteIds: number[];
        Sites: components["schemas"]["Site"][];
        /** @description Keyed by period label. */
        IntegerByPeriod: {
            [key: string]: number;
        };
        /** @description Keyed by site id. */
        IntegerBySite: {
            [key: string]: number | components["schemas"]["IntegerByPeriod"];
        };
        IntegerResult: components["schemas"]["IntegerValue"] | components["schemas"]["IntegerByPeriod"] | components["schemas"]["IntegerBySite"];
        /**
         * @description Matomo's visit metrics, in Matomo's order. `nb_uniq_visitors` and `nb_users` are reported
         *     for day, week and month periods only (Matomo's default `enable_processing_unique_visitors_*`
         *     settings leave them out of year and range periods).
         */
        VisitsSummary: {
            /** @description Day, week and month periods only. */
            nb_uniq_visitors?: number;
            /** @description Visitors with a user id; day, week and month periods only. */
            nb_users?: number;
            nb_visits: number;
            nb_actions: number;
            /** @description Visits that converted a goal. */
            nb_visits_converted: number;
            bounce_count: number;
            /** @description Seconds. */
            sum_visit_length: number;
            max_actions: number;
            /**
             * @description Bounces per visit: a rounded percentage such as `"43%"`, or with `format_metrics=0`
             *     the raw ratio rounded to two decimals (`0.43`).
             */
            bounce_rate: components["schemas"]["Percent"] | number;
            /** @description Rounded to one decimal. */
            nb_actions_per_visit: number;
            /** @description Seconds, rounded. */
            avg_time_on_site: components["schemas"]["Duration"];
        };
        /**
         * @description A rounded percentage, as Matomo formats it.
         * @example 43%
         */
        Percent: string;
        /**
         * @description An amount in the site's currency, a number; with `format_metrics=all` Matomo's money
         *     text in the site's currency (`"$1,011.22"`, `"€5"`).
         */
        Money: number | string;
        /**
         * @description Seconds (rounded), an integer; with `format_metrics=1` or `all` Matomo's sentence
         *     (`"5 min 13s"`, `"1 hours 2 min"`).
         */
        Duration: number | string;
        /**
         * @description A rate of an Actions report row (`bounce_rate`, `exit_rate`; Matomo's quotient to two
         *     decimals): a rounded percentage such as `"43%"` (`format_metrics` `bc`, `1` or `all`), or
         *     with `format_metrics=0` the raw ratio (`0.43`).
         */
        ActionRate: components["schemas"]["Percent"] | number;
        /**
         * @description Seconds per page view (rounded), an integer; with `format_metrics=1` or `all` Matomo's
         *     clock (`"00:01:23"`, `"1 days 02:00:00"`).
         */
        TimeOnPage: number | string;
        VisitsSummaryOrEmpty: components["schemas"]["VisitsSummary"] | components["schemas"]["EmptyResult"];
        /** @description Keyed by period label. */
        VisitsSummaryByPeriod: {
            [key: string]: components["schemas"]["VisitsSummaryOrEmpty"];
        };
        /** @description Keyed by site id. */
        VisitsSummaryBySite: {
            [key: string]: components["schemas"]["VisitsSummaryOrEmpty"] | components["schemas"]["VisitsSummaryByPeriod"];
        };
        /** @description Without `columns` (or with an empty one, or `0`); with it, `VisitsSummaryColumnsResult`. */
        VisitsSummaryResult: components["schemas"]["VisitsSummaryOrEmpty"] | components["schemas"]["VisitsSummaryByPeriod"] | components["schemas"]["VisitsSummaryBySite"];
        /**
         * @description `VisitsSummary` with `columns`: only the known columns it names (an unknown name, or
         *     unique visitors in a year or range, is ignored without an error, as in Matomo), the
         *     archived metrics first, then `bounce_rate`, `nb_actions_per_visit`, `avg_time_on_site`.
         */
        VisitsSummaryColumns: {
            nb_uniq_visitors?: number;
            nb_users?: number;
            nb_visits?: number;
            nb_actions?: number;
            nb_visits_converted?: number;
            bounce_count?: number;
            sum_visit_length?: number;
            max_actions?: number;
            bounce_rate?: components["schemas"]["Percent"] | number;
            nb_actions_per_visit?: number;
            avg_time_on_site?: components["schemas"]["Duration"];
        };
        /** @description A period's columns, its one column's value, or `[]`. */
        VisitsSummaryColumnsOrValue: components["schemas"]["VisitsSummaryColumns"] | components["schemas"]["RecordValue"] | components["schemas"]["EmptyResult"];
        /** @description Keyed by period label. */
        VisitsSummaryColumnsByPeriod: {
            [key: string]: components["schemas"]["VisitsSummaryColumnsOrValue"];
        };
        /** @description Keyed by site id. */
        VisitsSummaryColumnsBySite: {
            [key: string]: components["schemas"]["VisitsSummaryColumnsOrValue"] | components["schemas"]["VisitsSummaryColumnsByPeriod"];
        };
        /**
         * @description With `columns`. One site and one period: the named columns (each at 0 without visits), or
         *     `{"value": …}` for one column. Keyed by period label and/or site id: the columns, the one
         *     column's value, or `[]` for a period without visits (except a single archived column,
         *     which is 0 there: Matomo's archive fills a one-metric period).
         */
        VisitsSummaryColumnsResult: components["schemas"]["VisitsSummaryColumns"] | components["schemas"]["RecordValueSingle"] | components["schemas"]["EmptyResult"] | components["schemas"]["VisitsSummaryColumnsByPeriod"] | components["schemas"]["VisitsSummaryColumnsBySite"];
        /** @description The value of a record's one column (`columns`), as Matomo renders a one-column record. */
        RecordValue: number | string;
        /** @description A record's one column, for one site and one period. */
        RecordValueSingle: {
            value: components["schemas"]["RecordValue"];
        };
        ActionsSummary: {
            nb_pageviews: number;
            /** @description Visits that viewed at least one page, counted once per page. */
            nb_uniq_pageviews: number;
            nb_downloads: number;
            nb_uniq_downloads: number;
            nb_outlinks: number;
            nb_uniq_outlinks: number;
            nb_searches: number;
            /** @description Distinct site-search keywords. */
            nb_keywords: number;
        };
        ActionsSummaryOrEmpty: components["schemas"]["ActionsSummary"] | components["schemas"]["EmptyResult"];
        /** @description Keyed by period label. */
        ActionsSummaryByPeriod: {
            [key: string]: components["schemas"]["ActionsSummaryOrEmpty"];
        };
        /** @description Keyed by site id. */
        ActionsSummaryBySite: {
            [key: string]: components["schemas"]["ActionsSummaryOrEmpty"] | components["schemas"]["ActionsSummaryByPeriod"];
        };
        ActionsSummaryResult: components["schemas"]["ActionsSummaryOrEmpty"] | components["schemas"]["ActionsSummaryByPeriod"] | components["schemas"]["ActionsSummaryBySite"];
        /** @description A host (with `idsubdatatable`) or one clicked URL (with `url` and `segment`) of `Actions.getDownloads` and `Actions.getOutlinks`. */
        ClickUrlRow: {
            /** @description The host, the URL's path (and fragment) in a host's subtable, or `host/path` with `flat=1`. */
            label: string;
            /** @description Visits that clicked; a host's is the sum of its URLs'. */
            nb_visits: number;
            /** @description URL rows of a day only. */
            nb_uniq_visitors?: number;
            nb_hits: number;
            sum_time_spent: number;
            /** @description URL rows of a week, month, year or range; the sum of each day's unique visitors (Matomo sums day archives). */
            sum_daily_nb_uniq_visitors?: number;
            url?: string;
            /** @description `downloadUrl==…` or `outlinkUrl==…`, the URL encoded twice. */
            segment?: string;
            /** @description Host rows only: the host's id for `idSubtable`, the same for every period and site. */
            idsubdatatable?: number;
            /** @description With `expanded=1`: the host's URLs. */
            subtable?: components["schemas"]["ClickUrlRow"][];
        };
        ClickUrlRows: components["schemas"]["ClickUrlRow"][];
        /** @description Keyed by period label. */
        ClickUrlRowsByPeriod: {
            [key: string]: components["schemas"]["ClickUrlRows"];
        };
        /** @description Keyed by site id. */
        ClickUrlRowsBySite: {
            [key: string]: components["schemas"]["ClickUrlRows"] | components["schemas"]["ClickUrlRowsByPeriod"];
        };
        ClickUrlsResult: components["schemas"]["ClickUrlRows"] | components["schemas"]["ClickUrlRowsByPeriod"] | components["schemas"]["ClickUrlRowsBySite"];
        /**
         * @description A folder or a page. Unique visitor counts are on page rows only (Matomo deletes the summed
         *     ones from folders); a day's page has `nb_uniq_visitors`, and `entry_nb_uniq_visitors`
         *     (`exit_nb_uniq_visitors`) when visits entered (left) there; a week, month, year or range
         *     is summed from day archives, so its page has them as `sum_daily_*` after the other
         *     summed metrics.
         */
        PageUrlRow: {
            /** @description A folder (`blog`) or a page (`/pricing`, `/index` for a folder's own page). */
            label: string;
            nb_visits: number;
            /** @description Pages of a day only. */
            nb_uniq_visitors?: number;
            /** @description Page views. */
            nb_hits: number;
            sum_time_spent: number;
            /** @description Pages of a day that visits entered by. */
            entry_nb_uniq_visitors?: number;
            entry_nb_visits: number;
            /** @description Actions of the visits that entered here. */
            entry_nb_actions?: number;
            /** @description Length of the visits that entered here, in seconds. */
            entry_sum_visit_length?: number;
            entry_bounce_count: number;
            /** @description Pages of a day that visits left from. */
            exit_nb_uniq_visitors?: number;
            exit_nb_visits: number;
            /** @description Pages of a week, month, year or range; the sum of each day's unique visitors. */
            sum_daily_nb_uniq_visitors?: number;
            /** @description Pages of a longer period that visits entered by; the sum of each day's. */
            sum_daily_entry_nb_uniq_visitors?: number;
            /** @description Pages of a longer period that visits left from; the sum of each day's. */
            sum_daily_exit_nb_uniq_visitors?: number;
            avg_time_on_page: components["schemas"]["TimeOnPage"];
            bounce_rate: components["schemas"]["ActionRate"];
            exit_rate: components["schemas"]["ActionRate"];
            /** @description The full URL (pages only). */
            url?: string;
            segment?: string;
            /** @description Folders only; pass as `idSubtable` to get the folder's rows. */
            idsubdatatable?: number;
            /** @description The folder's rows, with `expanded=1`. */
            subtable?: components["schemas"]["PageUrlRow"][];
        };
        PageUrlRows: components["schemas"]["PageUrlRow"][];
        /** @description Keyed by period label. */
        PageUrlRowsByPeriod: {
            [key: string]: components["schemas"]["PageUrlRows"];
        };
        /** @description Keyed by site id. */
        PageUrlRowsBySite: {
            [key: string]: components["schemas"]["PageUrlRows"] | components["schemas"]["PageUrlRowsByPeriod"];
        };
        PageUrlsResult: components["schemas"]["PageUrlRows"] | components["schemas"]["PageUrlRowsByPeriod"] | components["schemas"]["PageUrlRowsBySite"];
        /**
         * @description A row of `Actions.getEntryPageUrls` or `Actions.getExitPageUrls`: a row of
         *     `Actions.getPageUrls` (same columns, unique visitor counts as there), kept when visits
         *     entered (left) there.
         */
        LandingPageUrlRow: {
            label: string;
            nb_visits: number;
            nb_uniq_visitors?: number;
            nb_hits: number;
            sum_time_spent: number;
            entry_nb_uniq_visitors?: number;
            entry_nb_visits: number;
            entry_nb_actions?: number;
            entry_sum_visit_length?: number;
            entry_bounce_count: number;
            exit_nb_uniq_visitors?: number;
            exit_nb_visits: number;
            sum_daily_nb_uniq_visitors?: number;
            sum_daily_entry_nb_uniq_visitors?: number;
            sum_daily_exit_nb_uniq_visitors?: number;
            avg_time_on_page: components["schemas"]["TimeOnPage"];
            bounce_rate: components["schemas"]["ActionRate"];
            exit_rate: components["schemas"]["ActionRate"];
            /** @description The full URL (pages only). */
            url?: string;
            segment: string;
            /** @description Folders only; pass as `idSubtable` to get the folder's rows. */
            idsubdatatable?: number;
            /** @description The folder's rows, with `expanded=1`. */
            subtable?: components["schemas"]["LandingPageUrlRow"][];
        };
        LandingPageUrlRows: components["schemas"]["LandingPageUrlRow"][];
        /** @description Keyed by period label. */
        LandingPageUrlRowsByPeriod: {
            [key: string]: components["schemas"]["LandingPageUrlRows"];
        };
        /** @description Keyed by site id. */
        LandingPageUrlRowsBySite: {
            [key: string]: components["schemas"]["LandingPageUrlRows"] | components["schemas"]["LandingPageUrlRowsByPeriod"];
        };
        LandingPageUrlsResult: components["schemas"]["LandingPageUrlRows"] | components["schemas"]["LandingPageUrlRowsByPeriod"] | components["schemas"]["LandingPageUrlRowsBySite"];
        /**
         * @description One title. A day's row has `nb_uniq_visitors`, `entry_nb_uniq_visitors` and
         *     `exit_nb_uniq_visitors`; a week, month, year or range is summed from day archives, so its
         *     row has them as `sum_daily_*` after the other summed metrics (the entry and exit ones only
         *     when visits entered or left by the title).
         */
        PageTitleRow: {
            /** @description The title, or `Page Name not defined`. */
            label: string;
            nb_visits: number;
            nb_uniq_visitors?: number;
            nb_hits: number;
            sum_time_spent: number;
            entry_nb_uniq_visitors?: number;
            entry_nb_visits: number;
            entry_nb_actions: number;
            entry_sum_visit_length: number;
            entry_bounce_count: number;
            exit_nb_uniq_visitors?: number;
            exit_nb_visits: number;
            sum_daily_nb_uniq_visitors?: number;
            sum_daily_entry_nb_uniq_visitors?: number;
            sum_daily_exit_nb_uniq_visitors?: number;
            avg_time_on_page: components["schemas"]["TimeOnPage"];
            bounce_rate: components["schemas"]["ActionRate"];
            exit_rate: components["schemas"]["ActionRate"];
            segment: string;
        };
        PageTitleRows: components["schemas"]["PageTitleRow"][];
        /** @description Keyed by period label. */
        PageTitleRowsByPeriod: {
            [key: string]: components["schemas"]["PageTitleRows"];
        };
        /** @description Keyed by site id. */
        PageTitleRowsBySite: {
            [key: string]: components["schemas"]["PageTitleRows"] | components["schemas"]["PageTitleRowsByPeriod"];
        };
        PageTitlesResult: components["schemas"]["PageTitleRows"] | components["schemas"]["PageTitleRowsByPeriod"] | components["schemas"]["PageTitleRowsBySite"];
        SiteSearchKeywordRow: {
            label: string;
            nb_visits: number;
            nb_hits: number;
            sum_time_spent: number;
            exit_nb_visits: number;
            /** @description Searches per visit, to one decimal. */
            nb_pages_per_search: number;
            avg_time_on_page: components["schemas"]["TimeOnPage"];
            bounce_rate: components["schemas"]["ActionRate"];
            exit_rate: components["schemas"]["ActionRate"];
            segment: string;
        };
        SiteSearchKeywordRows: components["schemas"]["SiteSearchKeywordRow"][];
        /** @description Keyed by period label. */
        SiteSearchKeywordRowsByPeriod: {
            [key: string]: components["schemas"]["SiteSearchKeywordRows"];
        };
        /** @description Keyed by site id. */
        SiteSearchKeywordRowsBySite: {
            [key: string]: components["schemas"]["SiteSearchKeywordRows"] | components["schemas"]["SiteSearchKeywordRowsByPeriod"];
        };
        SiteSearchKeywordsResult: components["schemas"]["SiteSearchKeywordRows"] | components["schemas"]["SiteSearchKeywordRowsByPeriod"] | components["schemas"]["SiteSearchKeywordRowsBySite"];
        EventRow: {
            label: string;
            /**
             * @description Period `day` only, on every row (subtable and flattened rows too): the distinct
             *     visitors of the row's events.
             */
            nb_uniq_visitors?: number;
            nb_visits: number;
            nb_events: number;
            nb_events_with_value: number;
            sum_event_value: number;
            min_event_value: number | null;
            max_event_value: number | null;
            /**
             * @description Periods `week`, `month`, `year` and `range` only, in place of `nb_uniq_visitors`: the
             *     sum of each day's distinct visitors (Matomo sums day archives).
             */
            sum_daily_nb_uniq_visitors?: number;
            /** @description Over the events with a value, to two decimals. */
            avg_event_value: number;
            /**
             * @description On the top rows, and on the rows of the subtable methods (on their own dimension);
             *     none for `Event Name not defined`, nor with `flat=1`.
             */
            segment?: string;
            /**
             * @description A top row's subtable, for the subtable methods (`Events.getActionFromCategoryId`, …):
             *     the same for every site, period and secondary dimension. Not with `flat=1`.
             */
            idsubdatatable?: number;
            /** @description With `expanded=1`, the rows of the secondary dimension. */
            subtable?: components["schemas"]["EventRow"][];
            /** @description With `flat=1`, the row's event category. */
            Events_EventCategory?: string;
            /** @description With `flat=1`, the row's event action. */
            Events_EventAction?: string;
            /** @description With `flat=1`, the row's event name. */
            Events_EventName?: string;
        };
        EventRows: components["schemas"]["EventRow"][];
        /** @description Keyed by period label. */
        EventRowsByPeriod: {
            [key: string]: components["schemas"]["EventRows"];
        };
        /** @description Keyed by site id. */
        EventRowsBySite: {
            [key: string]: components["schemas"]["EventRows"] | components["schemas"]["EventRowsByPeriod"];
        };
        EventsResult: components["schemas"]["EventRows"] | components["schemas"]["EventRowsByPeriod"] | components["schemas"]["EventRowsBySite"];
        /**
         * @description The visit metrics Matomo reports per dimension value. A day's row counts its unique
         *     visitors and users (`nb_uniq_visitors`, `nb_users`); a row of a week, month, year or range
         *     is summed from day archives, so Matomo renames them `sum_daily_nb_uniq_visitors` and
         *     `sum_daily_nb_users` (the sum over the period's days of each day's count) and puts them
         *     after the other metrics.
         */
        VisitMetricsRow: {
            label: string;
            /** @description Distinct visitors; on day rows only. */
            nb_uniq_visitors?: number;
            nb_visits: number;
            nb_actions: number;
            /** @description Distinct user ids (0 when visits carry none); on day rows only. */
            nb_users?: number;
            max_actions: number;
            sum_visit_length: number;
            bounce_count: number;
            /** @description Visits that converted at least one goal. */
            nb_visits_converted?: number;
            /**
             * @description Per goal that converted among the row's visits, keyed `idgoal=N`, by goal id; only on
             *     rows with conversions, in the reports Matomo enriches with goal metrics: countries,
             *     continents, regions, cities, device types, browsers, the referrer types and their
             *     subtables, `Referrers.getAll`, websites, search engines, keywords, socials, campaigns
             *     (and a campaign's keywords), and the server time (by the hour of the conversion
             *     itself). A conversion counts in the period of its own time; on a week, month, year or
             *     range a goal's `nb_visits_converted` is the sum of each day's.
             */
            goals?: {
                [key: string]: components["schemas"]["RowGoalMetrics"];
            };
            /** @description Conversions of all goals; with `goals`. */
            nb_conversions?: number;
            /** @description Revenue of all goals; with `goals`. */
            revenue?: components["schemas"]["Money"];
            /** @description Week, month, year and range rows; the sum of each day's unique visitors. */
            sum_daily_nb_uniq_visitors?: number;
            /** @description Week, month, year and range rows; the sum of each day's distinct users. */
            sum_daily_nb_users?: number;
            /** @description The segment definition that selects this row's visits. */
            segment?: string;
        };
        /** @description One goal's conversions among a report row's visits. */
        RowGoalMetrics: {
            nb_conversions: number;
            nb_visits_converted: number;
            revenue: number;
        };
        ReferrerTypeRow: components["schemas"]["VisitMetricsRow"] & {
            /** @enum {string} */
            label?: "Direct Entry" | "Search Engines" | "Websites" | "Campaigns" | "Social Networks";
            referrer_type: components["schemas"]["ReferrerTypeId"];
            /** @description The referrers of this type (search engines, websites, …), the type's id; not for direct entries. */
            idsubdatatable?: number;
            /** @description With `expanded=1`: the type's rows of `getKeywords`, `getWebsites`, `getCampaigns` or `getSocials`. */
            subtable?: components["schemas"]["ReferrerDimensionRow"][];
        };
        ReferrerTypeRows: components["schemas"]["ReferrerTypeRow"][];
        /** @description Keyed by period label. */
        ReferrerTypeRowsByPeriod: {
            [key: string]: components["schemas"]["ReferrerTypeRows"];
        };
        VisitMetricsRows: components["schemas"]["VisitMetricsRow"][];
        /** @description Keyed by period label. */
        VisitMetricsRowsByPeriod: {
            [key: string]: components["schemas"]["VisitMetricsRows"];
        };
        /**
         * @description One site only: the referrer types, or with `idSubtable` the referrers of one type, as
         *     Matomo lists them: the search type's keywords (`getKeywords`), or the websites, campaigns
         *     or social networks (`getWebsites`, `getCampaigns`, `getSocials`; a network's row also
         *     has `url` and `logo`), without subtable ids.
         */
        ReferrerTypeResult: components["schemas"]["ReferrerTypeRows"] | components["schemas"]["ReferrerTypeRowsByPeriod"] | components["schemas"]["VisitMetricsRows"] | components["schemas"]["VisitMetricsRowsByPeriod"];
        CountryRow: components["schemas"]["VisitMetricsRow"] & {
            /** @description ISO 3166-1 alpha-2, lower case (`xx` when unknown). */
            code: string;
            /** @description The flag, a path relative to Matomo's root (`plugins/Morpheus/icons/dist/flags/de.png`). */
            logo: string;
            /** @description The flag's height in pixels (16). */
            logoHeight: number;
        };
        CountryRows: components["schemas"]["CountryRow"][];
        /** @description Keyed by period label. */
        CountryRowsByPeriod: {
            [key: string]: components["schemas"]["CountryRows"];
        };
        /** @description Keyed by site id. */
        CountryRowsBySite: {
            [key: string]: components["schemas"]["CountryRows"] | components["schemas"]["CountryRowsByPeriod"];
        };
        CountryResult: components["schemas"]["CountryRows"] | components["schemas"]["CountryRowsByPeriod"] | components["schemas"]["CountryRowsBySite"];
        /**
         * @description A device type with visits, or, as Matomo's `ensureDefaultRowsInTable` adds them, one of
         *     the other device types at zero visits. The zero rows are only in a result that is a single
         *     table (one site, one period) with visits; a map of periods or sites has none.
         */
        DeviceTypeRow: components["schemas"]["DeviceTypeVisitsRow"] | components["schemas"]["DeviceTypeZeroRow"];
        /**
         * @description Matomo's English name of the device type (`Unknown` when none was detected).
         * @enum {string}
         */
        DeviceTypeLabel: "Desktop" | "Smartphone" | "Tablet" | "Feature phone" | "Console" | "Tv" | "Car browser" | "Smart display" | "Camera" | "Portable media player" | "Phablet" | "Smart speaker" | "Wearable" | "Peripheral" | "Unknown";
        /** @description Relative to Matomo's root, e.g. `plugins/Morpheus/icons/dist/devices/car_browser.png`. */
        DeviceTypeLogo: string;
        /** @description A device type with visits; the `Unknown` row has no segment. */
        DeviceTypeVisitsRow: components["schemas"]["VisitMetricsRow"] & {
            label?: components["schemas"]["DeviceTypeLabel"];
            logo: components["schemas"]["DeviceTypeLogo"];
        };
        /** @description A device type without visits, with only its label, `nb_visits` 0, segment and logo. */
        DeviceTypeZeroRow: {
            label: components["schemas"]["DeviceTypeLabel"];
            /** @constant */
            nb_visits: 0;
            /** @description The segment definition that selects this type's visits, e.g. `deviceType==car+browser`. */
            segment: string;
            logo: components["schemas"]["DeviceTypeLogo"];
        };
        DeviceTypeRows: components["schemas"]["DeviceTypeRow"][];
        /** @description Keyed by period label. */
        DeviceTypeRowsByPeriod: {
            [key: string]: components["schemas"]["DeviceTypeRows"];
        };
        /** @description Keyed by site id. */
        DeviceTypeRowsBySite: {
            [key: string]: components["schemas"]["DeviceTypeRows"] | components["schemas"]["DeviceTypeRowsByPeriod"];
        };
        DeviceTypeResult: components["schemas"]["DeviceTypeRows"] | components["schemas"]["DeviceTypeRowsByPeriod"] | components["schemas"]["DeviceTypeRowsBySite"];
        /** @description A `VisitMetricsRow` with the path of its logo in Matomo (browsers, operating systems). */
        LogoRow: components["schemas"]["VisitMetricsRow"] & {
            /** @description Relative to Matomo's root, e.g. `plugins/Morpheus/icons/dist/browsers/FF.png`. */
            logo: string;
        };
        LogoRows: components["schemas"]["LogoRow"][];
        /** @description Keyed by period label. */
        LogoRowsByPeriod: {
            [key: string]: components["schemas"]["LogoRows"];
        };
        /** @description Keyed by site id. */
        LogoRowsBySite: {
            [key: string]: components["schemas"]["LogoRows"] | components["schemas"]["LogoRowsByPeriod"];
        };
        LogoResult: components["schemas"]["LogoRows"] | components["schemas"]["LogoRowsByPeriod"] | components["schemas"]["LogoRowsBySite"];
        /** @description One hour of the site's day (`00` to `23`); the segment names the hour in UTC. */
        ServerTimeRow: components["schemas"]["VisitMetricsRow"] & {
            label?: string;
            nb_visits_converted: number;
        };
        ServerTimeRows: components["schemas"]["ServerTimeRow"][];
        /** @description Keyed by period label. */
        ServerTimeRowsByPeriod: {
            [key: string]: components["schemas"]["ServerTimeRows"];
        };
        /** @description Keyed by site id. */
        ServerTimeRowsBySite: {
            [key: string]: components["schemas"]["ServerTimeRows"] | components["schemas"]["ServerTimeRowsByPeriod"];
        };
        ServerTimeResult: components["schemas"]["ServerTimeRows"] | components["schemas"]["ServerTimeRowsByPeriod"] | components["schemas"]["ServerTimeRowsBySite"];
        /** @description One screen resolution (`WIDTHxHEIGHT`, or `unknown`); the segment is `resolution==<label>`. */
        ResolutionRow: components["schemas"]["VisitMetricsRow"] & {
            segment: string;
        };
        ResolutionRows: components["schemas"]["ResolutionRow"][];
        /** @description Keyed by period label. */
        ResolutionRowsByPeriod: {
            [key: string]: components["schemas"]["ResolutionRows"];
        };
        /** @description Keyed by site id. */
        ResolutionRowsBySite: {
            [key: string]: components["schemas"]["ResolutionRows"] | components["schemas"]["ResolutionRowsByPeriod"];
        };
        ResolutionResult: components["schemas"]["ResolutionRows"] | components["schemas"]["ResolutionRowsByPeriod"] | components["schemas"]["ResolutionRowsBySite"];
        /** @description One continent; Matomo sends no segment here. */
        ContinentRow: components["schemas"]["VisitMetricsRow"] & {
            /** @enum {string} */
            label?: "Africa" | "Central America" | "North America" | "South America" | "Antarctica" | "Asia" | "Europe" | "Oceania" | "Unknown";
            /** @description The label again, as Matomo sends it. */
            code: string;
        };
        ContinentRows: components["schemas"]["ContinentRow"][];
        /** @description Keyed by period label. */
        ContinentRowsByPeriod: {
            [key: string]: components["schemas"]["ContinentRows"];
        };
        /** @description Keyed by site id. */
        ContinentRowsBySite: {
            [key: string]: components["schemas"]["ContinentRows"] | components["schemas"]["ContinentRowsByPeriod"];
        };
        ContinentResult: components["schemas"]["ContinentRows"] | components["schemas"]["ContinentRowsByPeriod"] | components["schemas"]["ContinentRowsBySite"];
        /** @description Where a location row is, as Matomo adds it to region and city rows (`xx` for an unknown code). */
        LocationMetadata: {
            /** @description The ISO 3166-2 subdivision code without the country (`BY`), or `xx`. */
            region: string;
            /** @description ISO 3166-1 alpha-2, lower case, or `xx`. */
            country: string;
            country_name: string;
            /** @description The region's name, or `Unknown`. */
            region_name: string;
            /** @description The country's flag, relative to Matomo's root, e.g. `plugins/Morpheus/icons/dist/flags/de.png`. */
            logo: string;
        };
        /** @description One region, labelled `Region, Country`; the `Unknown` row (visits without a region) has no segment. */
        RegionRow: components["schemas"]["VisitMetricsRow"] & components["schemas"]["LocationMetadata"];
        RegionRows: components["schemas"]["RegionRow"][];
        /** @description Keyed by period label. */
        RegionRowsByPeriod: {
            [key: string]: components["schemas"]["RegionRows"];
        };
        /** @description Keyed by site id. */
        RegionRowsBySite: {
            [key: string]: components["schemas"]["RegionRows"] | components["schemas"]["RegionRowsByPeriod"];
        };
        RegionResult: components["schemas"]["RegionRows"] | components["schemas"]["RegionRowsByPeriod"] | components["schemas"]["RegionRowsBySite"];
        /** @description One city, labelled `City, Region, Country`; the `Unknown` row (visits without a city) has `city` `xx` and no segment. A city whose visits have coordinates carries `lat` and `long` (rounded to three decimals, as Matomo's archiver rounds them). */
        CityRow: components["schemas"]["VisitMetricsRow"] & components["schemas"]["LocationMetadata"] & {
            /** @description The city's latitude in degrees; absent when its visits have no coordinates. */
            lat?: number;
            /** @description The city's longitude in degrees; absent when its visits have no coordinates. */
            long?: number;
            city_name: string;
            /**
             * @description Only on the `Unknown` row.
             * @enum {string}
             */
            city?: "xx";
        };
        CityRows: components["schemas"]["CityRow"][];
        /** @description Keyed by period label. */
        CityRowsByPeriod: {
            [key: string]: components["schemas"]["CityRows"];
        };
        /** @description Keyed by site id. */
        CityRowsBySite: {
            [key: string]: components["schemas"]["CityRows"] | components["schemas"]["CityRowsByPeriod"];
        };
        CityResult: components["schemas"]["CityRows"] | components["schemas"]["CityRowsByPeriod"] | components["schemas"]["CityRowsBySite"];
        /** @description One language of the browser, labelled in English; the segment is `languageCode==<code>,languageCode=@<code>-` (`languageCode==xx` when unknown). */
        LanguageRow: components["schemas"]["VisitMetricsRow"] & {
            segment: string;
        };
        LanguageRows: components["schemas"]["LanguageRow"][];
        /** @description Keyed by period label. */
        LanguageRowsByPeriod: {
            [key: string]: components["schemas"]["LanguageRows"];
        };
        /** @description Keyed by site id. */
        LanguageRowsBySite: {
            [key: string]: components["schemas"]["LanguageRows"] | components["schemas"]["LanguageRowsByPeriod"];
        };
        LanguageResult: components["schemas"]["LanguageRows"] | components["schemas"]["LanguageRowsByPeriod"] | components["schemas"]["LanguageRowsBySite"];
        /** @description One hour of the visitor's own clock (`00` to `23`); the segment is `visitLocalHour==<hour>`. */
        LocalTimeRow: components["schemas"]["VisitMetricsRow"] & {
            label?: string;
            nb_visits_converted: number;
        };
        LocalTimeRows: components["schemas"]["LocalTimeRow"][];
        /** @description Keyed by period label. */
        LocalTimeRowsByPeriod: {
            [key: string]: components["schemas"]["LocalTimeRows"];
        };
        /** @description Keyed by site id. */
        LocalTimeRowsBySite: {
            [key: string]: components["schemas"]["LocalTimeRows"] | components["schemas"]["LocalTimeRowsByPeriod"];
        };
        LocalTimeResult: components["schemas"]["LocalTimeRows"] | components["schemas"]["LocalTimeRowsByPeriod"] | components["schemas"]["LocalTimeRowsBySite"];
        /** @description One referrer of `Referrers.getAll` (a search keyword, website, campaign or social network). */
        ReferrerRow: components["schemas"]["VisitMetricsRow"] & {
            /**
             * @description Matomo's referrer type id: 2 search engine, 3 website, 6 campaign, 7 social network.
             * @enum {integer}
             */
            referer_type: 2 | 3 | 6 | 7;
            /** @description A social network's main domain. */
            url?: string;
            /** @description A social network's logo, relative to the Matomo root. */
            logo?: string;
        };
        ReferrerAllResult: components["schemas"]["ReferrerRow"][];
        /**
         * @description A row of `Referrers.getWebsites`, `getSearchEngines`, `getKeywords`, `getSocials` or
         *     `getCampaigns`; in a subtable (and with `flat=1`) only the label, the metrics and, for URLs, `url`.
         */
        ReferrerDimensionRow: components["schemas"]["VisitMetricsRow"] & {
            /** @description A search engine's address, a social network's main domain, or (`flat=1` on websites) the referrer URL. */
            url?: string;
            /** @description A search engine's or social network's logo, relative to the Matomo root. */
            logo?: string;
            /** @description The row's id for `idSubtable`, the same for every period and site. */
            idsubdatatable?: number;
            /** @description With `expanded=1`. */
            subtable?: components["schemas"]["VisitMetricsRow"][];
        };
        ReferrerDimensionRows: components["schemas"]["ReferrerDimensionRow"][];
        /** @description Keyed by period label. */
        ReferrerDimensionRowsByPeriod: {
            [key: string]: components["schemas"]["ReferrerDimensionRows"];
        };
        /** @description Keyed by site id. */
        ReferrerDimensionRowsBySite: {
            [key: string]: components["schemas"]["ReferrerDimensionRows"] | components["schemas"]["ReferrerDimensionRowsByPeriod"];
        };
        ReferrerDimensionResult: components["schemas"]["ReferrerDimensionRows"] | components["schemas"]["ReferrerDimensionRowsByPeriod"] | components["schemas"]["ReferrerDimensionRowsBySite"];
        /** @description One weekday; a weekday without visits has only `label`, `nb_visits` (0) and `day_of_week`. */
        DayOfWeekRow: {
            /** @enum {string} */
            label: "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday";
            nb_visits: number;
            /** @description The sum of each day's unique visitors. */
            nb_uniq_visitors?: number;
            nb_actions?: number;
            nb_users?: number;
            sum_visit_length?: number;
            bounce_count?: number;
            nb_visits_converted?: number;
            /** @description 1 for Monday to 7 for Sunday. */
            day_of_week: number;
        };
        DayOfWeekRows: components["schemas"]["DayOfWeekRow"][];
        DayOfWeekResult: components["schemas"]["DayOfWeekRows"] | {
            [key: string]: components["schemas"]["DayOfWeekRows"];
        };
        /** @description One of Matomo's fixed buckets (visit duration or actions per visit), with its visits. */
        VisitorInterestRow: {
            label: string;
            nb_visits: number;
            /** @description The segment definition that selects this bucket's visits. */
            segment: string;
        };
        VisitorInterestRows: components["schemas"]["VisitorInterestRow"][];
        /** @description Keyed by period label. */
        VisitorInterestRowsByPeriod: {
            [key: string]: components["schemas"]["VisitorInterestRows"];
        };
        /** @description Keyed by site id. */
        VisitorInterestRowsBySite: {
            [key: string]: components["schemas"]["VisitorInterestRows"] | components["schemas"]["VisitorInterestRowsByPeriod"];
        };
        VisitorInterestResult: components["schemas"]["VisitorInterestRows"] | components["schemas"]["VisitorInterestRowsByPeriod"] | components["schemas"]["VisitorInterestRowsBySite"];
        /**
         * @description `VisitsSummary` of new visitors, columns suffixed `_new`, then of returning visitors,
         *     suffixed `_returning`. One bare record has every column; in a keyed result a side
         *     without visits has no columns (as Matomo merges the two tables).
         */
        VisitFrequency: {
            nb_uniq_visitors_new?: number;
            nb_users_new?: number;
            nb_visits_new?: number;
            nb_actions_new?: number;
            nb_visits_converted_new?: number;
            bounce_count_new?: number;
            sum_visit_length_new?: number;
            max_actions_new?: number;
            bounce_rate_new?: components["schemas"]["Percent"] | number;
            nb_actions_per_visit_new?: number;
            avg_time_on_site_new?: components["schemas"]["Duration"];
            nb_uniq_visitors_returning?: number;
            nb_users_returning?: number;
            nb_visits_returning?: number;
            nb_actions_returning?: number;
            nb_visits_converted_returning?: number;
            bounce_count_returning?: number;
            sum_visit_length_returning?: number;
            max_actions_returning?: number;
            bounce_rate_returning?: components["schemas"]["Percent"] | number;
            nb_actions_per_visit_returning?: number;
            avg_time_on_site_returning?: components["schemas"]["Duration"];
        };
        VisitFrequencyOrEmpty: components["schemas"]["VisitFrequency"] | components["schemas"]["EmptyResult"];
        /** @description Keyed by period label. */
        VisitFrequencyByPeriod: {
            [key: string]: components["schemas"]["VisitFrequencyOrEmpty"];
        };
        /** @description Keyed by site id. */
        VisitFrequencyBySite: {
            [key: string]: components["schemas"]["VisitFrequencyOrEmpty"] | components["schemas"]["VisitFrequencyByPeriod"];
        };
        /** @description Without `columns` (or with an empty one, or `0`); with it, `VisitFrequencyColumnsResult`. */
        VisitFrequencyResult: components["schemas"]["VisitFrequencyOrEmpty"] | components["schemas"]["VisitFrequencyByPeriod"] | components["schemas"]["VisitFrequencyBySite"];
        /** @description A period's columns, its one column's value, or `[]`. */
        VisitFrequencyColumnsOrValue: components["schemas"]["VisitFrequency"] | components["schemas"]["RecordValue"] | components["schemas"]["EmptyResult"];
        /** @description Keyed by period label. */
        VisitFrequencyColumnsByPeriod: {
            [key: string]: components["schemas"]["VisitFrequencyColumnsOrValue"];
        };
        /** @description Keyed by site id. */
        VisitFrequencyColumnsBySite: {
            [key: string]: components["schemas"]["VisitFrequencyColumnsOrValue"] | components["schemas"]["VisitFrequencyColumnsByPeriod"];
        };
        /**
         * @description With `columns` (suffixed names: `nb_visits_new`): the named columns of the sides asked
         *     for, `{"value": …}` for one column, or `[]`; keyed by period label and/or site id as
         *     without `columns`, a one-column period as its value.
         */
        VisitFrequencyColumnsResult: components["schemas"]["VisitFrequency"] | components["schemas"]["RecordValueSingle"] | components["schemas"]["EmptyResult"] | components["schemas"]["VisitFrequencyColumnsByPeriod"] | components["schemas"]["VisitFrequencyColumnsBySite"];
        /**
         * @description A goal as Matomo's `Goals.getGoals` shows it, its fields in Matomo's order. A goal matched
         *     `manually` has no `pattern`, `pattern_type` or `case_sensitive`.
         */
        Goal: {
            idsite: number;
            /** @description Counts per site, from 1. */
            idgoal: number;
            name: string;
            description: string;
            /**
             * @description What converts the goal.
             * @enum {string}
             */
            match_attribute: "url" | "title" | "file" | "external_website" | "event_category" | "event_action" | "event_name" | "visit_duration" | "manually";
            pattern?: string;
            /** @description `contains`, `exact`, `regex`, or `greater_than` for `visit_duration`. */
            pattern_type?: string;
            /** @enum {integer} */
            case_sensitive?: 0 | 1;
            /**
             * @description `1`: every match in a visit converts, not only the first.
             * @enum {integer}
             */
            allow_multiple: 0 | 1;
            /** @description The default revenue of a conversion. */
            revenue: number;
            /** @enum {integer} */
            deleted: 0 | 1;
            /** @enum {integer} */
            event_value_as_revenue: 0 | 1;
        };
        /** @description Goals keyed by `idgoal`. */
        Goals: {
            [key: string]: components["schemas"]["Goal"];
        };
        GoalsResult: components["schemas"]["Goals"] | components["schemas"]["EmptyResult"];
        /**
         * @description `Goals.get`: the conversions of every goal (or of `idGoal`), then of new visits
         *     (`_new_visit`) and of returning visits (`_returning_visit`). `conversion_rate` is the
         *     converted visits over all visits, as Matomo formats it (`"66.67%"`), raw (`0.6667`) with
         *     `format_metrics=0`. With `showAllGoalSpecificMetrics=1` (and no `idGoal`), `nb_visits` and
         *     every goal's `goal_<idgoal>_nb_conversions`, `goal_<idgoal>_nb_visits_converted`,
         *     `goal_<idgoal>_revenue` and `goal_<idgoal>_conversion_rate` come too, suffixed the same.
         *     `columns` keeps only the columns named.
         */
        GoalsSummary: {
            nb_visits?: number;
            nb_conversions?: number;
            nb_visits_converted?: number;
            revenue?: components["schemas"]["Money"];
            conversion_rate?: components["schemas"]["Percent"] | number;
            nb_visits_new_visit?: number;
            nb_conversions_new_visit?: number;
            nb_visits_converted_new_visit?: number;
            revenue_new_visit?: components["schemas"]["Money"];
            conversion_rate_new_visit?: components["schemas"]["Percent"] | number;
            nb_visits_returning_visit?: number;
            nb_conversions_returning_visit?: number;
            nb_visits_converted_returning_visit?: number;
            revenue_returning_visit?: components["schemas"]["Money"];
            conversion_rate_returning_visit?: components["schemas"]["Percent"] | number;
        } & {
            [key: string]: number | string;
        };
        GoalsSummaryOrEmpty: components["schemas"]["GoalsSummary"] | components["schemas"]["EmptyResult"];
        /** @description Keyed by period label. */
        GoalsSummaryByPeriod: {
            [key: string]: components["schemas"]["GoalsSummaryOrEmpty"];
        };
        /** @description Keyed by site id. */
        GoalsSummaryBySite: {
            [key: string]: components["schemas"]["GoalsSummaryOrEmpty"] | components["schemas"]["GoalsSummaryByPeriod"];
        };
        GoalsSummaryResult: components["schemas"]["GoalsSummaryOrEmpty"] | components["schemas"]["GoalsSummaryByPeriod"] | components["schemas"]["GoalsSummaryBySite"];
        /**
         * @description The change against the period before, as Matomo formats it (`"-71.4%"`, `"1,450%"`,
         *     `"100%"` from nothing); the raw quotient (`-0.714`) with `format_metrics=0`.
         */
        Evolution: string | number;
        /**
         * @description `1` up, `-1` down, `0` unchanged.
         * @enum {integer}
         */
        EvolutionTrend: -1 | 0 | 1;
        /**
         * @description One site in `MultiSites.getAll`: its name as `label`, its totals, their evolution against
         *     the period before with the previous values (absent for a `lastN`/`previousN` date, where
         *     Matomo computes none), then the site's `idsite`, `group` and `main_url`. `revenue` is the
         *     revenue of every goal's conversions. With `enhanced=1`: `nb_conversions`, and for an
         *     ecommerce site `orders` and `ecommerce_revenue` (every site's when there are no
         *     evolutions, as Matomo), with their evolutions and previous values.
         */
        MultiSitesRow: {
            label: string;
            nb_visits: number;
            nb_actions: number;
            nb_pageviews: number;
            revenue: number;
            /** @description With `enhanced=1`, conversions of every goal. */
            nb_conversions?: number;
            /** @description With `enhanced=1`, ecommerce orders (ecommerce sites). */
            orders?: number;
            /** @description With `enhanced=1`, the revenue of ecommerce orders (ecommerce sites). */
            ecommerce_revenue?: number;
            visits_evolution?: components["schemas"]["Evolution"];
            visits_evolution_trend?: components["schemas"]["EvolutionTrend"];
            actions_evolution?: components["schemas"]["Evolution"];
            actions_evolution_trend?: components["schemas"]["EvolutionTrend"];
            pageviews_evolution?: components["schemas"]["Evolution"];
            pageviews_evolution_trend?: components["schemas"]["EvolutionTrend"];
            revenue_evolution?: components["schemas"]["Evolution"];
            revenue_evolution_trend?: components["schemas"]["EvolutionTrend"];
            nb_conversions_evolution?: components["schemas"]["Evolution"];
            nb_conversions_evolution_trend?: components["schemas"]["EvolutionTrend"];
            orders_evolution?: components["schemas"]["Evolution"];
            orders_evolution_trend?: components["schemas"]["EvolutionTrend"];
            ecommerce_revenue_evolution?: components["schemas"]["Evolution"];
            ecommerce_revenue_evolution_trend?: components["schemas"]["EvolutionTrend"];
            idsite: number;
            /** @description The share of the previous period the previous values are scaled by while the current period is under way (1 once it is over). */
            ratio?: number;
            currencySymbol?: string;
            previous_nb_visits?: number;
            periodName?: components["schemas"]["Period"];
            /** @example Sat, Jan 2 */
            previousRange?: string;
            previous_nb_actions?: number;
            previous_Actions_nb_pageviews?: number;
            previous_Goal_revenue?: number;
            /** @description With `enhanced=1`. */
            previous_Goal_nb_conversions?: number;
            /** @description With `enhanced=1`, ecommerce sites. */
            previous_Goal_0_nb_conversions?: number;
            /** @description With `enhanced=1`, ecommerce sites. */
            previous_Goal_0_revenue?: number;
            group: string;
            main_url: string;
        };
        MultiSitesRows: components["schemas"]["MultiSitesRow"][];
        /** @description Keyed by period label. */
        MultiSitesRowsByPeriod: {
            [key: string]: components["schemas"]["MultiSitesRows"];
        };
        MultiSitesAllResult: components["schemas"]["MultiSitesRows"] | components["schemas"]["MultiSitesRowsByPeriod"];
        /**
         * @description `MultiSites.getOne`: one site's totals, in Matomo's order (evolutions between the counts
         *     and `nb_pageviews`), without label or metadata; no evolutions for a `lastN`/`previousN` date.
         *     With `enhanced=1`, `nb_conversions` (and `orders`, `ecommerce_revenue` for an ecommerce
         *     site, or for any site without evolutions) after `revenue`, their evolutions after
         *     `revenue_evolution`.
         */
        MultiSitesOne: {
            nb_visits: number;
            nb_actions: number;
            nb_pageviews: number;
            revenue: components["schemas"]["Money"];
            /** @description With `enhanced=1`, conversions of every goal. */
            nb_conversions?: number;
            /** @description With `enhanced=1`, ecommerce orders (ecommerce sites). */
            orders?: number;
            /** @description With `enhanced=1`, the revenue of ecommerce orders (ecommerce sites). */
            ecommerce_revenue?: components["schemas"]["Money"];
            visits_evolution?: components["schemas"]["Evolution"];
            visits_evolution_trend?: components["schemas"]["EvolutionTrend"];
            actions_evolution?: components["schemas"]["Evolution"];
            actions_evolution_trend?: components["schemas"]["EvolutionTrend"];
            pageviews_evolution?: components["schemas"]["Evolution"];
            pageviews_evolution_trend?: components["schemas"]["EvolutionTrend"];
            revenue_evolution?: components["schemas"]["Evolution"];
            /**
             * @description The trend; with `format_metrics=all` Matomo formats it as money too, as its name
             *     holds `revenue` (`"$1"`).
             */
            revenue_evolution_trend?: components["schemas"]["EvolutionTrend"] | string;
            nb_conversions_evolution?: components["schemas"]["Evolution"];
            nb_conversions_evolution_trend?: components["schemas"]["EvolutionTrend"];
            orders_evolution?: components["schemas"]["Evolution"];
            orders_evolution_trend?: components["schemas"]["EvolutionTrend"];
            ecommerce_revenue_evolution?: components["schemas"]["Evolution"];
            /**
             * @description The trend; with `format_metrics=all` Matomo formats it as money too, as its name
             *     holds `revenue` (`"$1"`).
             */
            ecommerce_revenue_evolution_trend?: components["schemas"]["EvolutionTrend"] | string;
        };
        /** @description Keyed by period label. */
        MultiSitesOneByPeriod: {
            [key: string]: components["schemas"]["MultiSitesOne"];
        };
        MultiSitesOneResult: components["schemas"]["MultiSitesOne"] | components["schemas"]["MultiSitesOneByPeriod"];
        /** @description A visit in a visitor profile's `firstVisit` and `lastVisit`. */
        VisitorProfileVisitSummary: {
            /** @description The visit's first action, Unix time. */
            date: number;
            /** @example Monday, November 23, 2026 */
            prettyDate: string;
            daysAgo: number;
            referrerType: components["schemas"]["ReferrerType"];
            referrerUrl: string;
            /** @example Google (matomo) */
            referralSummary: string;
        };
        VisitorProfile: {
            visitorId: string;
            /** @description The visitor has more visits than the 100 aggregated. */
            hasMoreVisits: boolean;
            totalVisits: number;
            totalVisitDuration: number;
            totalActions: number;
            totalOutlinks: number;
            totalDownloads: number;
            /** @description Distinct site search keywords. */
            totalSearches: number;
            totalPageViews: number;
            totalUniquePageViews: number;
            /** @description Pages viewed more than once. */
            totalRevisitedPages: number;
            totalEvents: number;
            searches: {
                keyword: string;
                searches: number;
            }[];
            lastVisits: components["schemas"]["Visits"];
            /** @description The visitor listed after this one in the visitor log (at or before their latest visit, within a day), or false. */
            nextVisitorId: string | false;
            /** @description The visitor listed before this one (at or after their latest visit, within a day), or false. */
            previousVisitorId: string | false;
            totalVisitDurationPretty: string;
            firstVisit: components["schemas"]["VisitorProfileVisitSummary"];
            lastVisit: components["schemas"]["VisitorProfileVisitSummary"];
            visitsAggregated: number;
            visitedPages: {
                url: string;
                count: number;
            }[];
            devices: {
                type: string;
                count: number;
                icon: string;
            }[];
            continents: {
                continent: string;
                nb_visits: number;
                prettyName: string;
            }[];
            countries: {
                country: string;
                nb_visits: number;
                flag: string;
                prettyName: string;
                cities?: string[];
            }[];
        };
        /** @description The profile, or an empty array when there is no visit. */
        VisitorProfileResult: components["schemas"]["VisitorProfile"] | [
        ];
        /**
         * @description One action of a visit: a page view (`action`), download, outlink, site search, event, or
         *     goal conversion (`goal`). An event carries its category, action, name and value (when set)
         *     and Matomo's icon, title and subtitle; its `url` is the page it happened on. A conversion
         *     carries the goal, its revenue, the converting URL and the visit's referrer.
         */
        VisitAction: {
            /** @enum {string} */
            type: "action" | "download" | "outlink" | "search" | "event" | "goal";
            /** @description Null when the goal was deleted. */
            goalName?: string | null;
            goalId?: number;
            revenue?: number;
            url: string;
            referrerType?: components["schemas"]["ReferrerType"];
            referrerName?: string;
            referrerKeyword?: string;
            pageTitle?: string;
            siteSearchKeyword?: string;
            /** @description Unix time. */
            timestamp: number;
            /** @description Seconds until the next action (0 for the last one); absent on events. */
            timeSpent?: number;
            eventCategory?: string;
            eventAction?: string;
            /** @description Absent when the event has no name. */
            eventName?: string;
            /** @description Rounded to three decimals; absent when the event has no value. */
            eventValue?: number;
            /** @example plugins/Morpheus/images/event.png */
            icon?: string;
            /** @example plugins/Morpheus/images/event.svg */
            iconSVG?: string;
            /** @example Event */
            title?: string;
            /**
             * @description Matomo's text, its quotes included: `Category: "Videos', Action: "Play"`; for a goal,
             *     `Newsletter (€5 revenue)`.
             */
            subtitle?: string;
        };
        /**
         * @description A visit, with the fields of Matomo's `VisitorDetails` in Matomo's order. Left out, as the
         *     visit log has no data for them: fingerprint, userId, the days and seconds since the last
         *     order, device brand and model, browser and operating system versions and engine, plugins
         *     and custom variables.
         */
        Visit: {
            idSite: number;
            idVisit: number;
            /** @description Anonymised (last byte zeroed). */
            visitIp: string;
            visitorId: string;
            /** @description The actions and goal conversions in time order; empty with `doNotFetchActions=1`. */
            actionDetails: components["schemas"]["VisitAction"][];
            goalConversions: number;
            /** @example EUR */
            siteCurrency: string;
            /** @example € */
            siteCurrencySymbol: string;
            /**
             * Format: date
             * @description The day of the visit's last action, UTC.
             */
            serverDate: string;
            /**
             * @description The hour (0 to 23) of the last action, UTC.
             * @example 14
             */
            visitServerHour: string;
            lastActionTimestamp: number;
            /** @description `YYYY-MM-DD HH:MM:SS`, UTC. */
            lastActionDateTime: string;
            siteName: string;
            /** @description The visit's last action, Unix time. */
            serverTimestamp: number;
            firstActionTimestamp: number;
            /**
             * @description The last action's time in the site's timezone, 24-hour clock.
             * @example 14:05:09
             */
            serverTimePretty: string;
            /** @example Tuesday, November 24, 2026 */
            serverDatePretty: string;
            serverDatePrettyFirstAction: string;
            serverTimePrettyFirstAction: string;
            /** @enum {string} */
            visitorType: "new" | "returning";
            visitorTypeIcon: string | null;
            /** @enum {integer} */
            visitConverted: 0 | 1;
            visitConvertedIcon: string | null;
            /** @description This visitor's visit number. */
            visitCount: number;
            /** @enum {string} */
            visitEcommerceStatus: "none";
            visitEcommerceStatusIcon: null;
            /**
             * @description Whole days since the visitor's first visit started (`floor(secondsSinceFirstVisit / 86400)`,
             *     0 when that is unknown).
             */
            daysSinceFirstVisit: number;
            /**
             * @description Seconds since the visitor's first visit started (Matomo's `visitor_seconds_since_first`);
             *     0 for a new visitor, null when unknown.
             */
            secondsSinceFirstVisit: number | null;
            visitDuration: number;
            /** @example 3 min 12s */
            visitDurationPretty: string;
            searches: number;
            actions: number;
            /** @description Page views and site searches. */
            interactions: number;
            referrerType: components["schemas"]["ReferrerType"];
            referrerTypeName: string;
            referrerName: string;
            referrerKeyword: string;
            referrerKeywordPosition: string | null;
            referrerUrl: string | null;
            referrerSearchEngineUrl: string | null;
            referrerSearchEngineIcon: string | null;
            referrerSocialNetworkUrl: string | null;
            referrerSocialNetworkIcon: string | null;
            /** @example de-de */
            languageCode: string;
            language: string;
            deviceType: string;
            deviceTypeIcon: string;
            operatingSystemName: string;
            operatingSystemIcon: string;
            operatingSystemCode: string;
            browserName: string;
            browserIcon: string;
            browserCode: string;
            /** @description The visit's events (each is also one of its `actions`). */
            events: number;
            continent: string;
            continentCode: string;
            country: string;
            countryCode: string;
            countryFlag: string;
            region: string | null;
            regionCode: string | null;
            city: string | null;
            /** @example Berlin, Land Berlin, Germany */
            location: string;
            /**
             * @description The visit's latitude as Matomo's DECIMAL(9,6) column gives it (`52.520000`); null when the visit has no coordinates.
             * @example 52.520000
             */
            latitude: string | null;
            /**
             * @description The visit's longitude, in the same form; null when the visit has no coordinates.
             * @example 13.405000
             */
            longitude: string | null;
            visitLocalTime: string | null;
            visitLocalHour: string;
            /**
             * @description Whole days since the visitor's previous visit started (`floor(secondsSinceLastVisit / 86400)`,
             *     0 when that is unknown).
             */
            daysSinceLastVisit: number;
            /**
             * @description Seconds since the visitor's previous visit started (Matomo's `visitor_seconds_since_last`);
             *     0 for a new visitor, null when unknown.
             */
            secondsSinceLastVisit: number | null;
            resolution: string;
        };
        Visits: components["schemas"]["Visit"][];
        LiveCounters: [
            {
                visits: number;
                actions: number;
                visitors: number;
                /** @description Always 0 (the reference server has no goals). */
                visitsConverted: number;
            }
        ];
        /** @description A note, its fields in Matomo's order. */
        Annotation: {
            /** Format: date */
            date: string;
            note: string;
            /** @enum {integer} */
            starred: 0 | 1;
            /** @description The login of the annotation's author. */
            user: string;
            idNote: number;
            /**
             * @description Whether the caller may change or delete it: its author, or anyone whose token gives
             *     write access to the site (Matomo's rule).
             */
            canEditOrDelete: boolean;
        };
        /**
         * @description Keyed by site id; only the sites that have notes. When none has any, Matomo sends an
         *     empty list (`[]`), not an empty object.
         */
        AnnotationsBySite: {
            [key: string]: components["schemas"]["Annotation"][];
        } | components["schemas"]["Annotation"][][];
        /** @description A client as the management API shows it. The secret never appears. */
        OAuth2Client: {
            client_id: components["schemas"]["ClientId"];
            name: string;
            description: string;
            /** @enum {string} */
            type: "confidential" | "public";
            grant_types: components["schemas"]["GrantType"][];
            scope: components["schemas"]["Scope"];
            redirect_uris: string[];
            /** @description The OpenID Connect scopes the client may ask for. */
            identity_scopes: components["schemas"]["IdentityScope"][];
            /** @description Where the end-session endpoint may send the browser back (matched as redirect URIs are). */
            post_logout_redirect_uris: string[];
            active: boolean;
            owner_login: string;
            has_secret: boolean;
            /** @description `YYYY-MM-DD HH:MM:SS`, UTC. */
            created_at: string;
            updated_at: string;
            last_used_at: string | null;
        };
        OAuth2Clients: components["schemas"]["OAuth2Client"][];
        OAuth2ClientWithSecret: {
            client: components["schemas"]["OAuth2Client"];
            /** @description The new secret, shown this once (confidential clients only); otherwise null. */
            secret: string | null;
        };
        OAuth2RotatedSecret: {
            client_id: components["schemas"]["ClientId"];
            /** @description The new secret, shown this once. The old one stops working at once. */
            secret: string;
        };
        OAuth2ClientOnly: {
            client: components["schemas"]["OAuth2Client"];
        };
        OAuth2Deleted: {
            /** @constant */
            deleted: true;
        };
        /** @description Every scope with its description. */
        OAuth2ScopeDescriptions: {
            "matomo:read": string;
            "matomo:write": string;
            "matomo:admin": string;
            "matomo:superuser": string;
        };
    };
    responses: {
        /** @description An HTML page (sign-in or consent). */
        HtmlPage: {
            headers: {
                /** @description Includes `frame-ancestors 'none'`; no third-party resources. */
                "Content-Security-Policy"?: string;
                "X-Frame-Options"?: "DENY";
                "Referrer-Policy"?: "no-referrer";
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /**
         * @description An HTML page that explains the error to the user. Sent instead of a redirect whenever the
         *     client or its redirect URI cannot be trusted.
         */
        HtmlError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /** @description The sign-in page again, saying the login or password is wrong. */
        HtmlUnauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /** @description The form's anti-CSRF token is missing or wrong. */
        HtmlForbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /** @description Too many failed sign-ins from this address or for this login; try again later. */
        HtmlTooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /**
         * @description `invalid_request`, `invalid_grant`, `unauthorized_client`, `unsupported_grant_type`,
         *     `invalid_scope` or `unsupported_token_type` (RFC 6749 §5.2, RFC 7009 §2.2.1).
         */
        OAuthBadRequest: {
            headers: {
                "Cache-Control": components["headers"]["NoStore"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "invalid_grant",
                 *       "error_description": "The authorization code has already been used"
                 *     }
                 */
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /**
         * @description `invalid_client`: unknown client, wrong secret, or a paused client. `WWW-Authenticate` is
         *     sent when the client used the `Authorization` header.
         */
        OAuthInvalidClient: {
            headers: {
                "WWW-Authenticate": components["headers"]["WwwAuthenticateBasic"];
                "Cache-Control": components["headers"]["NoStore"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "invalid_client",
                 *       "error_description": "Client authentication failed"
                 *     }
                 */
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description The endpoint accepts only POST. */
        OAuthMethodNotAllowed: {
            headers: {
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "invalid_request",
                 *       "error_description": "The token endpoint accepts only POST"
                 *     }
                 */
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description Too many failed client authentications from this address; try again later. */
        OAuthTooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": "temporarily_unavailable",
                 *       "error_description": "Too many failed client authentications; retry later"
                 *     }
                 */
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /**
         * @description An unknown method, or a token sent in more than one place (`invalid_request`, RFC 6750
         *     §3.1). In the requested `format`, like every Matomo error.
         */
        MatomoBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "result": "error",
                 *       "message": "The method 'VisitsSummary.nope' does not exist or is not available in the module 'VisitsSummary'."
                 *     }
                 */
                "application/json": components["schemas"]["MatomoError"];
            };
        };
        /**
         * @description No token (`WWW-Authenticate: Bearer realm="…"` without an error code), an invalid,
         *     expired or revoked token (`error="invalid_token"`), or a token whose user lacks the
         *     access the method needs on the requested sites (Matomo answers that with 401 too).
         */
        MatomoUnauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WwwAuthenticateBearer"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "result": "error",
                 *       "message": "You can't access this resource as it requires 'view' access for the website id = 3."
                 *     }
                 */
                "application/json": components["schemas"]["MatomoError"];
            };
        };
        /** @description The claims the token's scopes allow. */
        UserInfo: {
            headers: {
                "Cache-Control": components["headers"]["NoStore"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "sub": "demo",
                 *       "preferred_username": "demo",
                 *       "name": "demo",
                 *       "email": "demo@example.org",
                 *       "email_verified": false
                 *     }
                 */
                "application/json": components["schemas"]["UserInfo"];
            };
        };
        /**
         * @description No access token, or one that is invalid, expired or revoked: `WWW-Authenticate: Bearer`
         *     (with `error="invalid_token"` when a token was sent), RFC 6750 §3.1.
         */
        BearerUnauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WwwAuthenticateBearer"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /** @description The token's scope lacks `openid` (`error="insufficient_scope"`, RFC 6750 §3.1). */
        BearerInsufficientScope: {
            headers: {
                "WWW-Authenticate": components["headers"]["WwwAuthenticateBearer"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthError"];
            };
        };
        /**
         * @description The token's scope is below what the method needs: `WWW-Authenticate: Bearer
         *     error="insufficient_scope", scope="<the scope the method needs>"` (RFC 6750 §3.1).
         */
        MatomoInsufficientScope: {
            headers: {
                "WWW-Authenticate": components["headers"]["WwwAuthenticateBearer"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "result": "error",
                 *       "message": "The access token's scope (matomo:read) does not allow this method, which needs matomo:write."
                 *     }
                 */
                "application/json": components["schemas"]["MatomoError"];
            };
        };
        /** @description Each call's result in order (a Matomo error object in the slot of a call that failed), or a Matomo error. */
        "API.getBulkRequest": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "value": "5.4.0"
                 *       },
                 *       {
                 *         "result": "error",
                 *         "message": "Please specify a value for 'idSite'."
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["BulkRequestResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "API.getMatomoVersion": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "value": "5.2.0"
                 *     }
                 */
                "application/json": components["schemas"]["StringValue"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "SitesManager.getSitesWithAtLeastViewAccess": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "idsite": 1,
                 *         "name": "Demo Shop",
                 *         "main_url": "https://shop.example.com",
                 *         "ts_created": "2026-05-01 00:00:00",
                 *         "ecommerce": 1,
                 *         "sitesearch": 1,
                 *         "sitesearch_keyword_parameters": "",
                 *         "sitesearch_category_parameters": "",
                 *         "timezone": "UTC",
                 *         "currency": "EUR",
                 *         "exclude_unknown_urls": 0,
                 *         "excluded_ips": "",
                 *         "excluded_parameters": "",
                 *         "excluded_user_agents": "",
                 *         "excluded_referrers": "",
                 *         "group": "",
                 *         "type": "website",
                 *         "keep_url_fragment": 0,
                 *         "creator_login": "admin",
                 *         "timezone_name": "UTC",
                 *         "currency_name": "Euro"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["Sites"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "SitesManager.getSitesIdWithAtLeastViewAccess": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       1,
                 *       2,
                 *       3
                 *     ]
                 */
                "application/json": components["schemas"]["SiteIds"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "SitesManager.getSiteFromId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "idsite": 1,
                 *       "name": "Demo Shop",
                 *       "main_url": "https://shop.example.com",
                 *       "ts_created": "2026-05-01 00:00:00",
                 *       "ecommerce": 1,
                 *       "sitesearch": 1,
                 *       "sitesearch_keyword_parameters": "",
                 *       "sitesearch_category_parameters": "",
                 *       "timezone": "UTC",
                 *       "currency": "EUR",
                 *       "exclude_unknown_urls": 0,
                 *       "excluded_ips": "",
                 *       "excluded_parameters": "",
                 *       "excluded_user_agents": "",
                 *       "excluded_referrers": "",
                 *       "group": "",
                 *       "type": "website",
                 *       "keep_url_fragment": 0,
                 *       "creator_login": "admin",
                 *       "timezone_name": "UTC",
                 *       "currency_name": "Euro"
                 *     }
                 */
                "application/json": components["schemas"]["Site"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "SitesManager.addSite": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "value": 4
                 *     }
                 */
                "application/json": components["schemas"]["IntegerValue"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "SitesManager.updateSite": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "result": "success",
                 *       "message": "ok"
                 *     }
                 */
                "application/json": components["schemas"]["MatomoSuccess"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "VisitsSummary.get": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "nb_uniq_visitors": 98,
                 *       "nb_users": 0,
                 *       "nb_visits": 124,
                 *       "nb_actions": 210,
                 *       "nb_visits_converted": 0,
                 *       "bounce_count": 53,
                 *       "sum_visit_length": 15872,
                 *       "max_actions": 14,
                 *       "bounce_rate": "43%",
                 *       "nb_actions_per_visit": 1.7,
                 *       "avg_time_on_site": 128
                 *     }
                 */
                "application/json": (components["schemas"]["VisitsSummaryResult"] | components["schemas"]["VisitsSummaryColumnsResult"]) | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "VisitsSummary.getVisits": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "value": 124
                 *     }
                 */
                "application/json": components["schemas"]["IntegerResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Actions.get": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "nb_pageviews": 180,
                 *       "nb_uniq_pageviews": 150,
                 *       "nb_downloads": 12,
                 *       "nb_uniq_downloads": 11,
                 *       "nb_outlinks": 9,
                 *       "nb_uniq_outlinks": 9,
                 *       "nb_searches": 9,
                 *       "nb_keywords": 7
                 *     }
                 */
                "application/json": components["schemas"]["ActionsSummaryResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Actions.getDownloads": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "example.org",
                 *         "nb_visits": 3,
                 *         "nb_hits": 4,
                 *         "sum_time_spent": 0,
                 *         "idsubdatatable": 12
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ClickUrlsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Actions.getOutlinks": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "example.org",
                 *         "nb_visits": 3,
                 *         "nb_hits": 4,
                 *         "sum_time_spent": 0,
                 *         "idsubdatatable": 12
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ClickUrlsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Actions.getEntryPageUrls": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "/pricing",
                 *         "nb_visits": 18,
                 *         "nb_uniq_visitors": 17,
                 *         "nb_hits": 19,
                 *         "sum_time_spent": 950,
                 *         "entry_nb_uniq_visitors": 5,
                 *         "entry_nb_visits": 5,
                 *         "entry_nb_actions": 12,
                 *         "entry_sum_visit_length": 640,
                 *         "entry_bounce_count": 2,
                 *         "exit_nb_visits": 8,
                 *         "avg_time_on_page": 50,
                 *         "bounce_rate": "40%",
                 *         "exit_rate": "44%",
                 *         "url": "https://shop.example.com/pricing",
                 *         "segment": "entryPageUrl==https%253A%252F%252Fshop.example.com%252Fpricing"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["LandingPageUrlsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Actions.getExitPageUrls": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "/pricing",
                 *         "nb_visits": 18,
                 *         "nb_uniq_visitors": 17,
                 *         "nb_hits": 19,
                 *         "sum_time_spent": 950,
                 *         "entry_nb_visits": 5,
                 *         "entry_bounce_count": 2,
                 *         "exit_nb_uniq_visitors": 8,
                 *         "exit_nb_visits": 8,
                 *         "avg_time_on_page": 50,
                 *         "bounce_rate": "40%",
                 *         "exit_rate": "44%",
                 *         "url": "https://shop.example.com/pricing",
                 *         "segment": "exitPageUrl==https%253A%252F%252Fshop.example.com%252Fpricing"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["LandingPageUrlsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Actions.getPageTitles": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Pricing",
                 *         "nb_visits": 18,
                 *         "nb_uniq_visitors": 17,
                 *         "nb_hits": 19,
                 *         "sum_time_spent": 950,
                 *         "entry_nb_uniq_visitors": 5,
                 *         "entry_nb_visits": 5,
                 *         "entry_nb_actions": 12,
                 *         "entry_sum_visit_length": 640,
                 *         "entry_bounce_count": 2,
                 *         "exit_nb_uniq_visitors": 8,
                 *         "exit_nb_visits": 8,
                 *         "avg_time_on_page": 50,
                 *         "bounce_rate": "40%",
                 *         "exit_rate": "44%",
                 *         "segment": "pageTitle==Pricing"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["PageTitlesResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Actions.getSiteSearchKeywords": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "oauth",
                 *         "nb_visits": 3,
                 *         "nb_hits": 4,
                 *         "sum_time_spent": 120,
                 *         "exit_nb_visits": 1,
                 *         "nb_pages_per_search": 1.3,
                 *         "avg_time_on_page": 40,
                 *         "bounce_rate": "0%",
                 *         "exit_rate": "33%",
                 *         "segment": "siteSearchKeyword==oauth"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["SiteSearchKeywordsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Actions.getPageUrls": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "blog",
                 *         "nb_visits": 40,
                 *         "nb_uniq_visitors": 35,
                 *         "nb_hits": 52,
                 *         "sum_time_spent": 3120,
                 *         "entry_nb_visits": 22,
                 *         "entry_bounce_count": 9,
                 *         "exit_nb_visits": 20,
                 *         "avg_time_on_page": 60,
                 *         "bounce_rate": "41%",
                 *         "exit_rate": "50%",
                 *         "idsubdatatable": 2,
                 *         "segment": "pageUrl=^https%253A%252F%252Fshop.example.com%252Fblog%252F"
                 *       },
                 *       {
                 *         "label": "/pricing",
                 *         "nb_visits": 18,
                 *         "nb_uniq_visitors": 17,
                 *         "nb_hits": 19,
                 *         "sum_time_spent": 950,
                 *         "entry_nb_visits": 5,
                 *         "entry_bounce_count": 2,
                 *         "exit_nb_visits": 8,
                 *         "avg_time_on_page": 50,
                 *         "bounce_rate": "40%",
                 *         "exit_rate": "44%",
                 *         "url": "https://shop.example.com/pricing",
                 *         "segment": "pageUrl==https%253A%252F%252Fshop.example.com%252Fpricing"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["PageUrlsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getCategory": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Videos",
                 *         "nb_visits": 2,
                 *         "nb_events": 3,
                 *         "nb_events_with_value": 2,
                 *         "sum_event_value": 32.5,
                 *         "min_event_value": 12.5,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 16.25,
                 *         "segment": "eventCategory==Videos",
                 *         "subtable": [
                 *           {
                 *             "label": "Play",
                 *             "nb_visits": 1,
                 *             "nb_events": 1,
                 *             "nb_events_with_value": 0,
                 *             "sum_event_value": 0,
                 *             "min_event_value": null,
                 *             "max_event_value": null,
                 *             "avg_event_value": 0
                 *           }
                 *         ]
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getAction": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Play",
                 *         "nb_visits": 2,
                 *         "nb_events": 3,
                 *         "nb_events_with_value": 2,
                 *         "sum_event_value": 32.5,
                 *         "min_event_value": 12.5,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 16.25,
                 *         "segment": "eventAction==Play",
                 *         "subtable": [
                 *           {
                 *             "label": "intro",
                 *             "nb_visits": 1,
                 *             "nb_events": 1,
                 *             "nb_events_with_value": 0,
                 *             "sum_event_value": 0,
                 *             "min_event_value": null,
                 *             "max_event_value": null,
                 *             "avg_event_value": 0
                 *           }
                 *         ]
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getName": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "intro",
                 *         "nb_visits": 2,
                 *         "nb_events": 3,
                 *         "nb_events_with_value": 2,
                 *         "sum_event_value": 32.5,
                 *         "min_event_value": 12.5,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 16.25,
                 *         "segment": "eventName==intro",
                 *         "subtable": [
                 *           {
                 *             "label": "Play",
                 *             "nb_visits": 1,
                 *             "nb_events": 1,
                 *             "nb_events_with_value": 0,
                 *             "sum_event_value": 0,
                 *             "min_event_value": null,
                 *             "max_event_value": null,
                 *             "avg_event_value": 0
                 *           }
                 *         ]
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getActionFromCategoryId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Play",
                 *         "nb_visits": 2,
                 *         "nb_events": 2,
                 *         "nb_events_with_value": 1,
                 *         "sum_event_value": 20,
                 *         "min_event_value": 20,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 20,
                 *         "segment": "eventAction==Play"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getNameFromCategoryId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "intro",
                 *         "nb_visits": 2,
                 *         "nb_events": 2,
                 *         "nb_events_with_value": 1,
                 *         "sum_event_value": 20,
                 *         "min_event_value": 20,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 20,
                 *         "segment": "eventName==intro"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getCategoryFromActionId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Videos",
                 *         "nb_visits": 2,
                 *         "nb_events": 2,
                 *         "nb_events_with_value": 1,
                 *         "sum_event_value": 20,
                 *         "min_event_value": 20,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 20,
                 *         "segment": "eventCategory==Videos"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getNameFromActionId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "intro",
                 *         "nb_visits": 2,
                 *         "nb_events": 2,
                 *         "nb_events_with_value": 1,
                 *         "sum_event_value": 20,
                 *         "min_event_value": 20,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 20,
                 *         "segment": "eventName==intro"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getActionFromNameId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Play",
                 *         "nb_visits": 2,
                 *         "nb_events": 2,
                 *         "nb_events_with_value": 1,
                 *         "sum_event_value": 20,
                 *         "min_event_value": 20,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 20,
                 *         "segment": "eventAction==Play"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Events.getCategoryFromNameId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Videos",
                 *         "nb_visits": 2,
                 *         "nb_events": 2,
                 *         "nb_events_with_value": 1,
                 *         "sum_event_value": 20,
                 *         "min_event_value": 20,
                 *         "max_event_value": 20,
                 *         "avg_event_value": 20,
                 *         "segment": "eventCategory==Videos"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["EventsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getReferrerType": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Search Engines",
                 *         "nb_uniq_visitors": 40,
                 *         "nb_visits": 48,
                 *         "nb_actions": 90,
                 *         "max_actions": 9,
                 *         "sum_visit_length": 6400,
                 *         "bounce_count": 19,
                 *         "segment": "referrerType==search",
                 *         "referrer_type": 2,
                 *         "idsubdatatable": 2
                 *       },
                 *       {
                 *         "label": "Direct Entry",
                 *         "nb_uniq_visitors": 30,
                 *         "nb_visits": 41,
                 *         "nb_actions": 70,
                 *         "max_actions": 14,
                 *         "sum_visit_length": 5300,
                 *         "bounce_count": 18,
                 *         "segment": "referrerType==direct",
                 *         "referrer_type": 1
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerTypeResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getAll": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "matomo",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "segment": "referrerType==search;referrerKeyword==matomo",
                 *         "referer_type": 2
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerAllResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getWebsites": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "github.com",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "segment": "referrerName==github.com",
                 *         "idsubdatatable": 1
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getSearchEngines": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Google",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "segment": "referrerType==search;referrerName==Google",
                 *         "url": "http://google.com",
                 *         "logo": "plugins/Morpheus/icons/dist/searchEngines/google.com.png",
                 *         "idsubdatatable": 1
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getKeywords": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "matomo",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "segment": "referrerType==search;referrerKeyword==matomo",
                 *         "idsubdatatable": 1
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getSocials": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Twitter",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "segment": "referrerType==social;referrerName==Twitter",
                 *         "url": "twitter.com",
                 *         "logo": "plugins/Morpheus/icons/dist/socials/twitter.com.png",
                 *         "idsubdatatable": 1
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getCampaigns": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "newsletter",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "segment": "referrerType==campaign;referrerName==newsletter",
                 *         "idsubdatatable": 1
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getUrlsFromWebsiteId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "matomo-org",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 2,
                 *         "max_actions": 2,
                 *         "sum_visit_length": 300,
                 *         "bounce_count": 0,
                 *         "url": "https://github.com/matomo-org",
                 *         "segment": "referrerUrl==https%3A%2F%2Fgithub.com%2Fmatomo-org"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getKeywordsFromSearchEngineId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "matomo",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "segment": "referrerName==Google;referrerType==search;referrerKeyword==matomo",
                 *         "url": "http://google.com/search?q=matomo"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getSearchEnginesFromKeywordId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Google",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "segment": "referrerKeyword==matomo;referrerType==search;referrerName==Google",
                 *         "url": "http://google.com/search?q=matomo",
                 *         "logo": "plugins/Morpheus/icons/dist/searchEngines/google.com.png"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getKeywordsFromCampaignId": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "email",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 1,
                 *         "max_actions": 1,
                 *         "sum_visit_length": 0,
                 *         "bounce_count": 1,
                 *         "segment": "referrerName==newsletter;referrerType==campaign;referrerKeyword==email"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Referrers.getUrlsForSocial": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "t.co/",
                 *         "nb_uniq_visitors": 1,
                 *         "nb_visits": 1,
                 *         "nb_actions": 3,
                 *         "max_actions": 3,
                 *         "sum_visit_length": 60,
                 *         "bounce_count": 0,
                 *         "segment": "referrerUrl==https%3A%2F%2Ft.co%2F",
                 *         "url": "https://t.co/"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ReferrerDimensionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "UserCountry.getCountry": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Germany",
                 *         "nb_uniq_visitors": 30,
                 *         "nb_visits": 35,
                 *         "nb_actions": 61,
                 *         "nb_users": 0,
                 *         "max_actions": 8,
                 *         "sum_visit_length": 4100,
                 *         "bounce_count": 15,
                 *         "nb_visits_converted": 0,
                 *         "code": "de",
                 *         "logo": "plugins/Morpheus/icons/dist/flags/de.png",
                 *         "segment": "countryCode==de",
                 *         "logoHeight": 16
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["CountryResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "DevicesDetection.getType": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Desktop",
                 *         "nb_uniq_visitors": 60,
                 *         "nb_visits": 72,
                 *         "nb_actions": 140,
                 *         "max_actions": 14,
                 *         "sum_visit_length": 10100,
                 *         "bounce_count": 28,
                 *         "segment": "deviceType==desktop",
                 *         "logo": "plugins/Morpheus/icons/dist/devices/desktop.png"
                 *       },
                 *       {
                 *         "label": "Camera",
                 *         "nb_visits": 0,
                 *         "segment": "deviceType==camera",
                 *         "logo": "plugins/Morpheus/icons/dist/devices/camera.png"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["DeviceTypeResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "DevicesDetection.getBrowsers": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Firefox",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "logo": "plugins/Morpheus/icons/dist/browsers/FF.png",
                 *         "segment": "browserCode==FF"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["LogoResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "DevicesDetection.getOsFamilies": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Windows",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "logo": "plugins/Morpheus/icons/dist/os/WIN.png"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["LogoResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "VisitTime.getVisitInformationPerServerTime": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "00",
                 *         "nb_uniq_visitors": 0,
                 *         "nb_visits": 0,
                 *         "nb_actions": 0,
                 *         "max_actions": 0,
                 *         "sum_visit_length": 0,
                 *         "bounce_count": 0,
                 *         "nb_visits_converted": 0,
                 *         "segment": "visitStartServerHour==0"
                 *       },
                 *       {
                 *         "label": "01",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "nb_visits_converted": 0,
                 *         "segment": "visitStartServerHour==1"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ServerTimeResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Resolution.getResolution": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "1920x1080",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "segment": "resolution==1920x1080"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ResolutionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "UserCountry.getContinent": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Europe",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "code": "Europe"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["ContinentResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "UserCountry.getRegion": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Bayern, Germany",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "segment": "regionCode==BY;countryCode==de",
                 *         "region": "BY",
                 *         "country": "de",
                 *         "country_name": "Germany",
                 *         "region_name": "Bayern",
                 *         "logo": "plugins/Morpheus/icons/dist/flags/de.png"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["RegionResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "UserCountry.getCity": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Munich, Bayern, Germany",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "segment": "city==Munich;regionCode==BY;countryCode==de",
                 *         "city_name": "Munich",
                 *         "region": "BY",
                 *         "country": "de",
                 *         "country_name": "Germany",
                 *         "region_name": "Bayern",
                 *         "logo": "plugins/Morpheus/icons/dist/flags/de.png"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["CityResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "UserLanguage.getLanguage": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "German",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "segment": "languageCode==de,languageCode=@de-"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["LanguageResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "VisitTime.getVisitInformationPerLocalTime": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "00",
                 *         "nb_uniq_visitors": 3,
                 *         "nb_visits": 4,
                 *         "nb_actions": 9,
                 *         "max_actions": 5,
                 *         "sum_visit_length": 620,
                 *         "bounce_count": 1,
                 *         "nb_visits_converted": 0,
                 *         "segment": "visitLocalHour==0"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["LocalTimeResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "VisitTime.getByDayOfWeek": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Monday",
                 *         "nb_visits": 1,
                 *         "nb_uniq_visitors": 1,
                 *         "nb_actions": 3,
                 *         "nb_users": 0,
                 *         "sum_visit_length": 90,
                 *         "bounce_count": 0,
                 *         "nb_visits_converted": 0,
                 *         "day_of_week": 1
                 *       },
                 *       {
                 *         "label": "Tuesday",
                 *         "nb_visits": 0,
                 *         "day_of_week": 2
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["DayOfWeekResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "VisitFrequency.get": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "nb_uniq_visitors_new": 3,
                 *       "nb_users_new": 0,
                 *       "nb_visits_new": 3,
                 *       "nb_actions_new": 5,
                 *       "nb_visits_converted_new": 0,
                 *       "bounce_count_new": 2,
                 *       "sum_visit_length_new": 200,
                 *       "max_actions_new": 3,
                 *       "bounce_rate_new": "67%",
                 *       "nb_actions_per_visit_new": 1.7,
                 *       "avg_time_on_site_new": 67,
                 *       "nb_uniq_visitors_returning": 1,
                 *       "nb_users_returning": 0,
                 *       "nb_visits_returning": 1,
                 *       "nb_actions_returning": 4,
                 *       "nb_visits_converted_returning": 0,
                 *       "bounce_count_returning": 0,
                 *       "sum_visit_length_returning": 420,
                 *       "max_actions_returning": 4,
                 *       "bounce_rate_returning": "0%",
                 *       "nb_actions_per_visit_returning": 4,
                 *       "avg_time_on_site_returning": 420
                 *     }
                 */
                "application/json": (components["schemas"]["VisitFrequencyResult"] | components["schemas"]["VisitFrequencyColumnsResult"]) | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Goals.getGoals": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "1": {
                 *         "idsite": 1,
                 *         "idgoal": 1,
                 *         "name": "triggered js",
                 *         "description": "",
                 *         "match_attribute": "manually",
                 *         "allow_multiple": 0,
                 *         "revenue": 0,
                 *         "deleted": 0,
                 *         "event_value_as_revenue": 0
                 *       },
                 *       "2": {
                 *         "idsite": 1,
                 *         "idgoal": 2,
                 *         "name": "matching purchase.htm",
                 *         "description": "",
                 *         "match_attribute": "url",
                 *         "pattern": "(.*)store\\/purchase\\.(.*)",
                 *         "pattern_type": "regex",
                 *         "case_sensitive": 0,
                 *         "allow_multiple": 0,
                 *         "revenue": 1,
                 *         "deleted": 0,
                 *         "event_value_as_revenue": 0
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["GoalsResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Goals.get": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "nb_conversions": 7,
                 *       "nb_visits_converted": 2,
                 *       "revenue": 1332,
                 *       "conversion_rate": "100%",
                 *       "nb_conversions_new_visit": 4,
                 *       "nb_visits_converted_new_visit": 1,
                 *       "revenue_new_visit": 1332,
                 *       "conversion_rate_new_visit": "100%",
                 *       "nb_conversions_returning_visit": 3,
                 *       "nb_visits_converted_returning_visit": 1,
                 *       "revenue_returning_visit": 0,
                 *       "conversion_rate_returning_visit": "100%"
                 *     }
                 */
                "application/json": components["schemas"]["GoalsSummaryResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "VisitorInterest.getNumberOfVisitsPerVisitDuration": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "0–10s",
                 *         "nb_visits": 2,
                 *         "segment": "visitDuration>=0;visitDuration<=10"
                 *       },
                 *       {
                 *         "label": "11–30s",
                 *         "nb_visits": 0,
                 *         "segment": "visitDuration>=11;visitDuration<=30"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["VisitorInterestResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "VisitorInterest.getNumberOfVisitsPerPage": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "1 page",
                 *         "nb_visits": 2,
                 *         "segment": "actions==1"
                 *       },
                 *       {
                 *         "label": "2 pages",
                 *         "nb_visits": 1,
                 *         "segment": "actions==2"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["VisitorInterestResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Live.getLastVisitsDetails": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "idSite": 1,
                 *         "idVisit": 48213,
                 *         "visitIp": "203.0.113.0",
                 *         "visitorId": "5f3c2a1b0e9d8c7b",
                 *         "actionDetails": [
                 *           {
                 *             "type": "action",
                 *             "url": "https://shop.example.com/",
                 *             "pageTitle": "Home",
                 *             "timestamp": 1796472000,
                 *             "timeSpent": 120
                 *           },
                 *           {
                 *             "type": "event",
                 *             "url": "https://shop.example.com/",
                 *             "timestamp": 1796472030,
                 *             "eventCategory": "Videos",
                 *             "eventAction": "Play",
                 *             "icon": "plugins/Morpheus/images/event.png",
                 *             "iconSVG": "plugins/Morpheus/images/event.svg",
                 *             "title": "Event",
                 *             "subtitle": "Category: \"Videos', Action: \"Play\"",
                 *             "eventName": "intro",
                 *             "eventValue": 12.5
                 *           },
                 *           {
                 *             "type": "action",
                 *             "url": "https://shop.example.com/pricing",
                 *             "pageTitle": "Pricing",
                 *             "timestamp": 1796472120,
                 *             "timeSpent": 0
                 *           },
                 *           {
                 *             "type": "goal",
                 *             "goalName": "Pricing viewed",
                 *             "goalId": 1,
                 *             "revenue": 5,
                 *             "url": "https://shop.example.com/pricing",
                 *             "referrerType": "search",
                 *             "referrerName": "Google",
                 *             "referrerKeyword": "matomo oauth",
                 *             "icon": "plugins/Morpheus/images/goal.png",
                 *             "iconSVG": "plugins/Morpheus/images/goal.svg",
                 *             "title": "Goal conversion",
                 *             "subtitle": "Pricing viewed (€5 revenue)",
                 *             "timestamp": 1796472120
                 *           }
                 *         ],
                 *         "goalConversions": 1,
                 *         "siteCurrency": "EUR",
                 *         "siteCurrencySymbol": "€",
                 *         "serverDate": "2026-11-28",
                 *         "visitServerHour": "10",
                 *         "lastActionTimestamp": 1796472120,
                 *         "lastActionDateTime": "2026-11-28 10:02:00",
                 *         "siteName": "Shop",
                 *         "serverTimestamp": 1796472120,
                 *         "firstActionTimestamp": 1796472000,
                 *         "serverTimePretty": "11:02:00",
                 *         "serverDatePretty": "Saturday, November 28, 2026",
                 *         "serverDatePrettyFirstAction": "Saturday, November 28, 2026",
                 *         "serverTimePrettyFirstAction": "11:00:00",
                 *         "visitorType": "new",
                 *         "visitorTypeIcon": null,
                 *         "visitConverted": 1,
                 *         "visitConvertedIcon": "plugins/Morpheus/images/goal.svg",
                 *         "visitCount": 1,
                 *         "visitEcommerceStatus": "none",
                 *         "visitEcommerceStatusIcon": null,
                 *         "daysSinceFirstVisit": 0,
                 *         "secondsSinceFirstVisit": 0,
                 *         "visitDuration": 120,
                 *         "visitDurationPretty": "2 min 0s",
                 *         "searches": 0,
                 *         "actions": 3,
                 *         "interactions": 2,
                 *         "referrerType": "search",
                 *         "referrerTypeName": "Search Engines",
                 *         "referrerName": "Google",
                 *         "referrerKeyword": "matomo oauth",
                 *         "referrerKeywordPosition": null,
                 *         "referrerUrl": "https://www.google.com/",
                 *         "referrerSearchEngineUrl": "http://google.com",
                 *         "referrerSearchEngineIcon": "plugins/Morpheus/icons/dist/searchEngines/google.com.png",
                 *         "referrerSocialNetworkUrl": null,
                 *         "referrerSocialNetworkIcon": null,
                 *         "languageCode": "de-de",
                 *         "language": "Language code de-de",
                 *         "deviceType": "Desktop",
                 *         "deviceTypeIcon": "plugins/Morpheus/icons/dist/devices/desktop.png",
                 *         "operatingSystemName": "GNU/Linux",
                 *         "operatingSystemIcon": "plugins/Morpheus/icons/dist/os/LIN.png",
                 *         "operatingSystemCode": "LIN",
                 *         "browserName": "Firefox",
                 *         "browserIcon": "plugins/Morpheus/icons/dist/browsers/FF.png",
                 *         "browserCode": "FF",
                 *         "events": 1,
                 *         "continent": "Europe",
                 *         "continentCode": "eur",
                 *         "country": "Germany",
                 *         "countryCode": "de",
                 *         "countryFlag": "plugins/Morpheus/icons/dist/flags/de.png",
                 *         "region": "Land Berlin",
                 *         "regionCode": "BE",
                 *         "city": "Berlin",
                 *         "location": "Berlin, Land Berlin, Germany",
                 *         "latitude": "52.520000",
                 *         "longitude": "13.405000",
                 *         "visitLocalTime": "11:00:00",
                 *         "visitLocalHour": "11",
                 *         "daysSinceLastVisit": 0,
                 *         "secondsSinceLastVisit": 0,
                 *         "resolution": "1920x1080"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["Visits"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Live.getVisitorProfile": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "visitorId": "cccccccccccccccc",
                 *       "hasMoreVisits": false,
                 *       "totalVisits": 1,
                 *       "totalVisitDuration": 0,
                 *       "totalActions": 1,
                 *       "totalOutlinks": 0,
                 *       "totalDownloads": 0,
                 *       "totalSearches": 0,
                 *       "totalPageViews": 1,
                 *       "totalUniquePageViews": 1,
                 *       "totalRevisitedPages": 0,
                 *       "totalEvents": 0,
                 *       "searches": [],
                 *       "lastVisits": [
                 *         {
                 *           "idSite": 1,
                 *           "idVisit": 4,
                 *           "visitIp": "203.0.113.0",
                 *           "visitorId": "cccccccccccccccc",
                 *           "actionDetails": [
                 *             {
                 *               "type": "action",
                 *               "url": "https://utc.example/pricing",
                 *               "pageTitle": "Pricing",
                 *               "timestamp": 1795593600,
                 *               "timeSpent": 0
                 *             }
                 *           ],
                 *           "goalConversions": 0,
                 *           "siteCurrency": "USD",
                 *           "siteCurrencySymbol": "$",
                 *           "serverDate": "2026-11-25",
                 *           "visitServerHour": "8",
                 *           "lastActionTimestamp": 1795593600,
                 *           "lastActionDateTime": "2026-11-25 08:00:00",
                 *           "siteName": "UTC example",
                 *           "serverTimestamp": 1795593600,
                 *           "firstActionTimestamp": 1795593600,
                 *           "serverTimePretty": "08:00:00",
                 *           "serverDatePretty": "Wednesday, November 25, 2026",
                 *           "serverDatePrettyFirstAction": "Wednesday, November 25, 2026",
                 *           "serverTimePrettyFirstAction": "08:00:00",
                 *           "visitorType": "new",
                 *           "visitorTypeIcon": null,
                 *           "visitConverted": 0,
                 *           "visitConvertedIcon": null,
                 *           "visitCount": 1,
                 *           "visitEcommerceStatus": "none",
                 *           "visitEcommerceStatusIcon": null,
                 *           "daysSinceFirstVisit": 0,
                 *           "secondsSinceFirstVisit": 0,
                 *           "visitDuration": 0,
                 *           "visitDurationPretty": "0s",
                 *           "searches": 0,
                 *           "actions": 1,
                 *           "interactions": 1,
                 *           "referrerType": "campaign",
                 *           "referrerTypeName": "Campaigns",
                 *           "referrerName": "newsletter",
                 *           "referrerKeyword": "email",
                 *           "referrerKeywordPosition": null,
                 *           "referrerUrl": null,
                 *           "referrerSearchEngineUrl": null,
                 *           "referrerSearchEngineIcon": null,
                 *           "referrerSocialNetworkUrl": null,
                 *           "referrerSocialNetworkIcon": null,
                 *           "languageCode": "en-us",
                 *           "language": "Language code en-us",
                 *           "deviceType": "Tablet",
                 *           "deviceTypeIcon": "plugins/Morpheus/icons/dist/devices/tablet.png",
                 *           "operatingSystemName": "Unknown",
                 *           "operatingSystemIcon": "plugins/Morpheus/icons/dist/os/UNK.png",
                 *           "operatingSystemCode": "UNK",
                 *           "browserName": "Unknown",
                 *           "browserIcon": "plugins/Morpheus/icons/dist/browsers/UNK.png",
                 *           "browserCode": "UNK",
                 *           "events": 0,
                 *           "continent": "North America",
                 *           "continentCode": "amn",
                 *           "country": "United States",
                 *           "countryCode": "us",
                 *           "countryFlag": "plugins/Morpheus/icons/dist/flags/us.png",
                 *           "region": null,
                 *           "regionCode": null,
                 *           "city": null,
                 *           "location": "United States",
                 *           "latitude": null,
                 *           "longitude": null,
                 *           "visitLocalTime": null,
                 *           "visitLocalHour": "0",
                 *           "daysSinceLastVisit": 0,
                 *           "secondsSinceLastVisit": 0,
                 *           "resolution": "unknown"
                 *         }
                 *       ],
                 *       "nextVisitorId": "bbbbbbbbbbbbbbbb",
                 *       "previousVisitorId": false,
                 *       "totalVisitDurationPretty": "0s",
                 *       "firstVisit": {
                 *         "date": 1795593600,
                 *         "prettyDate": "Wednesday, November 25, 2026",
                 *         "daysAgo": 0,
                 *         "referrerType": "campaign",
                 *         "referrerUrl": "",
                 *         "referralSummary": "Campaign: newsletter - email"
                 *       },
                 *       "lastVisit": {
                 *         "date": 1795593600,
                 *         "prettyDate": "Wednesday, November 25, 2026",
                 *         "daysAgo": 0,
                 *         "referrerType": "campaign",
                 *         "referrerUrl": "",
                 *         "referralSummary": "Campaign: newsletter - email"
                 *       },
                 *       "visitsAggregated": 1,
                 *       "visitedPages": [
                 *         {
                 *           "url": "https://utc.example/pricing",
                 *           "count": 1
                 *         }
                 *       ],
                 *       "devices": [
                 *         {
                 *           "type": "Tablet",
                 *           "count": 1,
                 *           "icon": "plugins/Morpheus/icons/dist/devices/tablet.png"
                 *         }
                 *       ],
                 *       "continents": [
                 *         {
                 *           "continent": "amn",
                 *           "nb_visits": 1,
                 *           "prettyName": "North America"
                 *         }
                 *       ],
                 *       "countries": [
                 *         {
                 *           "country": "us",
                 *           "nb_visits": 1,
                 *           "flag": "plugins/Morpheus/icons/dist/flags/us.png",
                 *           "prettyName": "United States",
                 *           "cities": [
                 *             "New York"
                 *           ]
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["VisitorProfileResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Live.getCounters": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "visits": 5,
                 *         "actions": 12,
                 *         "visitors": 4,
                 *         "visitsConverted": 0
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["LiveCounters"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Annotations.getAll": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "1": [
                 *         {
                 *           "date": "2026-11-02",
                 *           "note": "Newsletter sent",
                 *           "starred": 1,
                 *           "user": "demo",
                 *           "idNote": 0,
                 *           "canEditOrDelete": true
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["AnnotationsBySite"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Annotations.add": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "date": "2026-11-28",
                 *       "note": "Price change",
                 *       "starred": 0,
                 *       "user": "demo",
                 *       "idNote": 1,
                 *       "canEditOrDelete": true
                 *     }
                 */
                "application/json": components["schemas"]["Annotation"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "Annotations.delete": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "result": "success",
                 *       "message": "ok"
                 *     }
                 */
                "application/json": components["schemas"]["MatomoSuccess"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "MultiSites.getAll": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "label": "Site 1",
                 *         "nb_visits": 2,
                 *         "nb_actions": 2,
                 *         "nb_pageviews": 2,
                 *         "revenue": 0,
                 *         "visits_evolution": "100%",
                 *         "visits_evolution_trend": 1,
                 *         "actions_evolution": "100%",
                 *         "actions_evolution_trend": 1,
                 *         "pageviews_evolution": "100%",
                 *         "pageviews_evolution_trend": 1,
                 *         "revenue_evolution": "0%",
                 *         "revenue_evolution_trend": 0,
                 *         "idsite": 1,
                 *         "ratio": 1,
                 *         "currencySymbol": "$",
                 *         "previous_nb_visits": 0,
                 *         "periodName": "day",
                 *         "previousRange": "Sat, Jan 2",
                 *         "previous_nb_actions": 0,
                 *         "previous_Actions_nb_pageviews": 0,
                 *         "previous_Goal_revenue": 0,
                 *         "group": "",
                 *         "main_url": "http://piwik.net"
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["MultiSitesAllResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "MultiSites.getOne": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "nb_visits": 2,
                 *       "nb_actions": 8,
                 *       "visits_evolution": "100%",
                 *       "visits_evolution_trend": 1,
                 *       "actions_evolution": "100%",
                 *       "actions_evolution_trend": 1,
                 *       "pageviews_evolution": "100%",
                 *       "pageviews_evolution_trend": 1,
                 *       "revenue_evolution": "0%",
                 *       "revenue_evolution_trend": 0,
                 *       "nb_pageviews": 4,
                 *       "revenue": 0
                 *     }
                 */
                "application/json": components["schemas"]["MultiSitesOneResult"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "OAuth2.getClients": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example [
                 *       {
                 *         "client_id": "analytics_app",
                 *         "name": "Analytics app",
                 *         "description": "The example client of the plugin README",
                 *         "type": "confidential",
                 *         "grant_types": [
                 *           "authorization_code",
                 *           "client_credentials",
                 *           "refresh_token"
                 *         ],
                 *         "scope": "matomo:read",
                 *         "redirect_uris": [
                 *           "https://example-app.com/oauth/callback"
                 *         ],
                 *         "identity_scopes": [],
                 *         "post_logout_redirect_uris": [],
                 *         "active": true,
                 *         "owner_login": "admin",
                 *         "has_secret": true,
                 *         "created_at": "2026-11-01 09:00:00",
                 *         "updated_at": "2026-11-01 09:00:00",
                 *         "last_used_at": null
                 *       }
                 *     ]
                 */
                "application/json": components["schemas"]["OAuth2Clients"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "OAuth2.getClient": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "client_id": "analytics_app",
                 *       "name": "Analytics app",
                 *       "description": "The example client of the plugin README",
                 *       "type": "confidential",
                 *       "grant_types": [
                 *         "authorization_code",
                 *         "client_credentials",
                 *         "refresh_token"
                 *       ],
                 *       "scope": "matomo:read",
                 *       "redirect_uris": [
                 *         "https://example-app.com/oauth/callback"
                 *       ],
                 *       "identity_scopes": [],
                 *       "post_logout_redirect_uris": [],
                 *       "active": true,
                 *       "owner_login": "admin",
                 *       "has_secret": true,
                 *       "created_at": "2026-11-01 09:00:00",
                 *       "updated_at": "2026-11-01 09:00:00",
                 *       "last_used_at": "2026-11-28 10:02:00"
                 *     }
                 */
                "application/json": components["schemas"]["OAuth2Client"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "OAuth2.getScopes": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "matomo:read": "View reports of the sites you can view",
                 *       "matomo:write": "Also change data on sites you can write to",
                 *       "matomo:admin": "Also administer sites you are an administrator of",
                 *       "matomo:superuser": "Everything a super user can do"
                 *     }
                 */
                "application/json": components["schemas"]["OAuth2ScopeDescriptions"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "OAuth2.createClient": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "client": {
                 *         "client_id": "3f9a1c0e7b2d4e6f8a1b3c5d7e9f0a2b",
                 *         "name": "Nightly export",
                 *         "description": "",
                 *         "type": "confidential",
                 *         "grant_types": [
                 *           "client_credentials"
                 *         ],
                 *         "scope": "matomo:read",
                 *         "redirect_uris": [],
                 *         "identity_scopes": [],
                 *         "post_logout_redirect_uris": [],
                 *         "active": true,
                 *         "owner_login": "admin",
                 *         "has_secret": true,
                 *         "created_at": "2026-11-28 10:00:00",
                 *         "updated_at": "2026-11-28 10:00:00",
                 *         "last_used_at": null
                 *       },
                 *       "secret": "kT1v9xQ3mB7nR2pL5sW8yA0cE4gH6jN1uZ3dF5hK7oM"
                 *     }
                 */
                "application/json": components["schemas"]["OAuth2ClientWithSecret"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "OAuth2.updateClient": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "client": {
                 *         "client_id": "3f9a1c0e7b2d4e6f8a1b3c5d7e9f0a2b",
                 *         "name": "Nightly export",
                 *         "description": "Exports reports at 2 am",
                 *         "type": "confidential",
                 *         "grant_types": [
                 *           "client_credentials"
                 *         ],
                 *         "scope": "matomo:read",
                 *         "redirect_uris": [],
                 *         "identity_scopes": [],
                 *         "post_logout_redirect_uris": [],
                 *         "active": true,
                 *         "owner_login": "admin",
                 *         "has_secret": true,
                 *         "created_at": "2026-11-28 10:00:00",
                 *         "updated_at": "2026-11-28 10:05:00",
                 *         "last_used_at": null
                 *       },
                 *       "secret": null
                 *     }
                 */
                "application/json": components["schemas"]["OAuth2ClientWithSecret"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "OAuth2.rotateSecret": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "client_id": "3f9a1c0e7b2d4e6f8a1b3c5d7e9f0a2b",
                 *       "secret": "Pz8r2Lq6vN0xT4bW7yC1eG3iK5mO9sU2wA4cE6gI8kM"
                 *     }
                 */
                "application/json": components["schemas"]["OAuth2RotatedSecret"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "OAuth2.setClientActive": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "client": {
                 *         "client_id": "analytics_app",
                 *         "name": "Analytics app",
                 *         "description": "The example client of the plugin README",
                 *         "type": "confidential",
                 *         "grant_types": [
                 *           "authorization_code",
                 *           "client_credentials",
                 *           "refresh_token"
                 *         ],
                 *         "scope": "matomo:read",
                 *         "redirect_uris": [
                 *           "https://example-app.com/oauth/callback"
                 *         ],
                 *         "identity_scopes": [],
                 *         "post_logout_redirect_uris": [],
                 *         "active": false,
                 *         "owner_login": "admin",
                 *         "has_secret": true,
                 *         "created_at": "2026-11-01 09:00:00",
                 *         "updated_at": "2026-11-28 10:00:00",
                 *         "last_used_at": null
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["OAuth2ClientOnly"] | components["schemas"]["MatomoError"];
            };
        };
        /** @description The result, or a Matomo error (which Matomo sends with status 200 for bad parameters). */
        "OAuth2.deleteClient": {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "deleted": true
                 *     }
                 */
                "application/json": components["schemas"]["OAuth2Deleted"] | components["schemas"]["MatomoError"];
            };
        };
    };
    parameters: {
        /** @description Only `code`; anything else is sent back as `unsupported_response_type`. */
        response_type: "code";
        client_id: components["schemas"]["ClientId"];
        /**
         * @description Must equal one of the client's registered redirect URIs exactly; for `http://127.0.0.1`
         *     and `http://[::1]` the port may differ (RFC 8252 §7.3). May be omitted only when the
         *     client has exactly one registered URI.
         */
        redirect_uri: string;
        /**
         * @description Space-separated scopes. The user grants exactly one Matomo scope, picked on the consent
         *     page among those the client allows and the user holds. Omitted means the client's own
         *     scope. The OpenID Connect scopes `openid`, `profile` and `email` may accompany it when the
         *     client is registered for them (`identity_scopes`); `profile` and `email` need `openid`.
         *     Asking for one the client is not registered for gives `invalid_scope`.
         */
        scope: string;
        /** @description Opaque to the server; returned exactly as sent. */
        state: string;
        /**
         * @description BASE64URL(SHA-256(code_verifier)) (RFC 7636). Required for public clients; optional for
         *     confidential ones, but a code issued with a challenge needs the verifier, and a code
         *     issued without one refuses a verifier.
         */
        code_challenge: components["schemas"]["PkceString"];
        /** @description Only `S256`; `plain` is refused with `invalid_request`. */
        code_challenge_method: "S256";
        /**
         * @description OpenID Connect: returned unchanged in the ID token's `nonce` claim, which the client must
         *     check against the value it sent.
         */
        nonce: string;
        /**
         * @description OpenID Connect Core §3.1.2.1, space-separated. `none`: show no page; answer with a code
         *     when the session and remembered consent allow it, else with `login_required`,
         *     `consent_required` or `interaction_required`. `login` (and `select_account`): ask for the
         *     password even when signed in. `consent`: show the consent page even when consent is
         *     remembered. `none` with any other value, or an unknown value, gives `invalid_request`.
         */
        prompt: string;
        /**
         * @description Seconds. When the user signed in longer ago than this, the password is asked again
         *     (`login_required` with `prompt=none`). `0` asks every time.
         */
        max_age: number;
        /** @description A login to fill in on the sign-in page. */
        login_hint: string;
        /** @description An ID token this server issued to the application (expired ones are accepted). */
        id_token_hint: string;
        /** @description The application asking; needed with `post_logout_redirect_uri` when there is no `id_token_hint`. */
        logout_client_id: components["schemas"]["ClientId"];
        /** @description Where to send the browser afterwards; must match one the client registered (exactly, apart from the port of a loopback address). */
        post_logout_redirect_uri: string;
        /** @description Returned unchanged with the redirect to `post_logout_redirect_uri`. */
        logout_state: string;
        format: components["schemas"]["Format"];
        idSites: components["schemas"]["IdSites"];
        idSite: components["schemas"]["IdSite"];
        /** @description 16 hexadecimal characters; by default the visitor of the site's most recent visit. */
        visitorId: string;
        /** @description How many of the most recent visits to list in `lastVisits` (10 by default). */
        limitVisits: string;
        period: components["schemas"]["Period"];
        date: components["schemas"]["Date"];
        format_metrics: components["schemas"]["FormatMetrics"];
        periodOptional: components["schemas"]["Period"];
        dateOptional: components["schemas"]["Date"];
        segment: components["schemas"]["Segment"];
        filter_limit: components["schemas"]["FilterLimit"];
        filter_offset: components["schemas"]["FilterOffset"];
        filter_sort_column: components["schemas"]["FilterSortColumn"];
        filter_sort_order: components["schemas"]["FilterSortOrder"];
        filter_pattern: components["schemas"]["FilterPattern"];
        filter_column: components["schemas"]["FilterColumn"];
        filter_pattern_recursive: components["schemas"]["FilterPattern"];
        filter_column_recursive: components["schemas"]["FilterColumn"];
        filter_truncate: components["schemas"]["FilterTruncate"];
        columns: components["schemas"]["RecordColumns"];
        showColumns: components["schemas"]["ShowColumns"];
        hideColumns: components["schemas"]["HideColumns"];
        hideColumnsRecursively: components["schemas"]["Flag"];
        label: components["schemas"]["LabelFilter"];
        disable_generic_filters: components["schemas"]["Flag"];
        secondaryDimension: components["schemas"]["EventSecondaryDimension"];
        expanded: components["schemas"]["Expanded"];
        flat: components["schemas"]["Flat"];
        idSubtable: components["schemas"]["IdSubtable"];
        /** @description A parent report row's `idsubdatatable`. */
        idSubtableRequired: components["schemas"]["IdSubtable"];
        typeReferrer: components["schemas"]["ReferrerTypeFilter"];
        limit: components["schemas"]["SiteLimit"];
        minTimestamp: components["schemas"]["MinTimestamp"];
        doNotFetchActions: components["schemas"]["DoNotFetchActions"];
        lastMinutes: components["schemas"]["LastMinutes"];
        lastN: components["schemas"]["LastN"];
        clientId: components["schemas"]["ClientId"];
        active: components["schemas"]["ActiveFlag"];
        siteName: components["schemas"]["SiteName"];
        siteNameOptional: components["schemas"]["SiteName"];
        /** @description One API call per entry, as a URL-encoded query string (`urls[]=method%3DAPI.getMatomoVersion`). */
        bulkUrls: string[];
        urls: components["schemas"]["StringList"];
        ecommerce: components["schemas"]["Flag"];
        siteSearch: components["schemas"]["Flag"];
        timezone: components["schemas"]["Timezone"];
        currency: components["schemas"]["Currency"];
        excludedIps: components["schemas"]["StringList"];
        group: components["schemas"]["SiteGroup"];
        startDate: components["schemas"]["SiteStartDate"];
        searchKeywordParameters: components["schemas"]["CommaList"];
        searchCategoryParameters: components["schemas"]["CommaList"];
        excludedQueryParameters: components["schemas"]["CommaList"];
        excludedUserAgents: components["schemas"]["CommaList"];
        excludedReferrers: components["schemas"]["CommaList"];
        keepURLFragments: components["schemas"]["KeepUrlFragments"];
        excludeUnknownUrls: components["schemas"]["Flag"];
        siteType: components["schemas"]["SiteType"];
        annotationDate: components["schemas"]["Day"];
        note: components["schemas"]["AnnotationNote"];
        starred: components["schemas"]["Flag"];
        idNote: components["schemas"]["NoteId"];
    };
    requestBodies: never;
    headers: {
        /** @description Tokens are never cached (RFC 6749 §5.1). */
        NoStore: "no-store";
        /** @description For HTTP/1.0 caches. */
        NoCache: "no-cache";
        /** @description Seconds to wait before trying again. */
        RetryAfter: number;
        /**
         * @description The client's redirect URI with `error`, `error_description`, `state` (when the request had
         *     one) and `iss`.
         * @example https://example-app.com/oauth/callback?error=invalid_scope&error_description=Unknown+scope&state=abc123&iss=http%3A%2F%2F127.0.0.1%3A8080
         */
        ErrorRedirectLocation: string;
        /**
         * @description The client's redirect URI with `code`, `state` (when the request had one) and `iss`, or
         *     with `error=access_denied`, `error_description`, `state` and `iss`.
         * @example https://example-app.com/oauth/callback?code=Xb9v2qN5mT8rL1cD4hK7pS0wY3zA6eF9gJ2uR5iO8tE&state=abc123&iss=http%3A%2F%2F127.0.0.1%3A8080
         */
        AuthorizationResponseLocation: string;
        /**
         * @description A path on this server.
         * @example /oauth2/authorize?response_type=code&client_id=analytics_app
         */
        LocalLocation: string;
        /** @description The session cookie (HttpOnly; SameSite=Lax; Secure under https). */
        SessionCookie: string;
        /**
         * @description Sent when the client authenticated with the `Authorization` header (RFC 6749 §5.2).
         * @example Basic realm="matomo-oauth2", charset="UTF-8"
         */
        WwwAuthenticateBasic: string;
        /**
         * @description The RFC 6750 §3 challenge.
         * @example Bearer realm="matomo", error="invalid_token", error_description="The access token has expired"
         */
        WwwAuthenticateBearer: string;
        /**
         * @description The methods the endpoint accepts.
         * @example POST
         */
        Allow: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    authorize: {
        parameters: {
            query: {
                /** @description Only `code`; anything else is sent back as `unsupported_response_type`. */
                response_type: components["parameters"]["response_type"];
                client_id: components["parameters"]["client_id"];
                /**
                 * @description Must equal one of the client's registered redirect URIs exactly; for `http://127.0.0.1`
                 *     and `http://[::1]` the port may differ (RFC 8252 §7.3). May be omitted only when the
                 *     client has exactly one registered URI.
                 */
                redirect_uri?: components["parameters"]["redirect_uri"];
                /**
                 * @description Space-separated scopes. The user grants exactly one Matomo scope, picked on the consent
                 *     page among those the client allows and the user holds. Omitted means the client's own
                 *     scope. The OpenID Connect scopes `openid`, `profile` and `email` may accompany it when the
                 *     client is registered for them (`identity_scopes`); `profile` and `email` need `openid`.
                 *     Asking for one the client is not registered for gives `invalid_scope`.
                 */
                scope?: components["parameters"]["scope"];
                /** @description Opaque to the server; returned exactly as sent. */
                state?: components["parameters"]["state"];
                /**
                 * @description BASE64URL(SHA-256(code_verifier)) (RFC 7636). Required for public clients; optional for
                 *     confidential ones, but a code issued with a challenge needs the verifier, and a code
                 *     issued without one refuses a verifier.
                 */
                code_challenge?: components["parameters"]["code_challenge"];
                /** @description Only `S256`; `plain` is refused with `invalid_request`. */
                code_challenge_method?: components["parameters"]["code_challenge_method"];
                /**
                 * @description OpenID Connect: returned unchanged in the ID token's `nonce` claim, which the client must
                 *     check against the value it sent.
                 */
                nonce?: components["parameters"]["nonce"];
                /**
                 * @description OpenID Connect Core §3.1.2.1, space-separated. `none`: show no page; answer with a code
                 *     when the session and remembered consent allow it, else with `login_required`,
                 *     `consent_required` or `interaction_required`. `login` (and `select_account`): ask for the
                 *     password even when signed in. `consent`: show the consent page even when consent is
                 *     remembered. `none` with any other value, or an unknown value, gives `invalid_request`.
                 */
                prompt?: components["parameters"]["prompt"];
                /**
                 * @description Seconds. When the user signed in longer ago than this, the password is asked again
                 *     (`login_required` with `prompt=none`). `0` asks every time.
                 */
                max_age?: components["parameters"]["max_age"];
                /** @description A login to fill in on the sign-in page. */
                login_hint?: components["parameters"]["login_hint"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HtmlPage"];
            /**
             * @description An error sent back to the client's redirect URI (RFC 6749 §4.1.2.1), with `iss`
             *     (RFC 9207); or, when consent is remembered (or with `prompt=none`), the code itself.
             */
            302: {
                headers: {
                    Location: components["headers"]["ErrorRedirectLocation"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["HtmlError"];
        };
    };
    authorizeDecision: {
        parameters: {
            query: {
                /** @description Only `code`; anything else is sent back as `unsupported_response_type`. */
                response_type: components["parameters"]["response_type"];
                client_id: components["parameters"]["client_id"];
                /**
                 * @description Must equal one of the client's registered redirect URIs exactly; for `http://127.0.0.1`
                 *     and `http://[::1]` the port may differ (RFC 8252 §7.3). May be omitted only when the
                 *     client has exactly one registered URI.
                 */
                redirect_uri?: components["parameters"]["redirect_uri"];
                /**
                 * @description Space-separated scopes. The user grants exactly one Matomo scope, picked on the consent
                 *     page among those the client allows and the user holds. Omitted means the client's own
                 *     scope. The OpenID Connect scopes `openid`, `profile` and `email` may accompany it when the
                 *     client is registered for them (`identity_scopes`); `profile` and `email` need `openid`.
                 *     Asking for one the client is not registered for gives `invalid_scope`.
                 */
                scope?: components["parameters"]["scope"];
                /** @description Opaque to the server; returned exactly as sent. */
                state?: components["parameters"]["state"];
                /**
                 * @description BASE64URL(SHA-256(code_verifier)) (RFC 7636). Required for public clients; optional for
                 *     confidential ones, but a code issued with a challenge needs the verifier, and a code
                 *     issued without one refuses a verifier.
                 */
                code_challenge?: components["parameters"]["code_challenge"];
                /** @description Only `S256`; `plain` is refused with `invalid_request`. */
                code_challenge_method?: components["parameters"]["code_challenge_method"];
                /**
                 * @description OpenID Connect: returned unchanged in the ID token's `nonce` claim, which the client must
                 *     check against the value it sent.
                 */
                nonce?: components["parameters"]["nonce"];
                /**
                 * @description OpenID Connect Core §3.1.2.1, space-separated. `none`: show no page; answer with a code
                 *     when the session and remembered consent allow it, else with `login_required`,
                 *     `consent_required` or `interaction_required`. `login` (and `select_account`): ask for the
                 *     password even when signed in. `consent`: show the consent page even when consent is
                 *     remembered. `none` with any other value, or an unknown value, gives `invalid_request`.
                 */
                prompt?: components["parameters"]["prompt"];
                /**
                 * @description Seconds. When the user signed in longer ago than this, the password is asked again
                 *     (`login_required` with `prompt=none`). `0` asks every time.
                 */
                max_age?: components["parameters"]["max_age"];
                /** @description A login to fill in on the sign-in page. */
                login_hint?: components["parameters"]["login_hint"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ConsentDecision"];
            };
        };
        responses: {
            /** @description Back to the client's redirect URI with the code, or with `error=access_denied`. */
            303: {
                headers: {
                    Location: components["headers"]["AuthorizationResponseLocation"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["HtmlError"];
            403: components["responses"]["HtmlForbidden"];
        };
    };
    token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description The tokens. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    Pragma: components["headers"]["NoCache"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "token_type": "Bearer",
                     *       "expires_in": 3600,
                     *       "access_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6IjdmM2IiLCJ0eXAiOiJhdCtqd3QifQ.eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjgwODAifQ.c2lnbmF0dXJl",
                     *       "refresh_token": "5Qm8d0c6kLrX2yQ4b1pV9sZ3fW7hJ0aN5eT8uY2iO4g",
                     *       "scope": "matomo:read"
                     *     }
                     */
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            400: components["responses"]["OAuthBadRequest"];
            401: components["responses"]["OAuthInvalidClient"];
            405: components["responses"]["OAuthMethodNotAllowed"];
            429: components["responses"]["OAuthTooManyRequests"];
        };
    };
    revoke: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["RevocationRequest"];
            };
        };
        responses: {
            /** @description The token is no longer valid (or never was). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["OAuthBadRequest"];
            401: components["responses"]["OAuthInvalidClient"];
            429: components["responses"]["OAuthTooManyRequests"];
        };
    };
    introspect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["IntrospectionRequest"];
            };
        };
        responses: {
            /** @description The token's state. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntrospectionResponse"];
                };
            };
            400: components["responses"]["OAuthBadRequest"];
            401: components["responses"]["OAuthInvalidClient"];
            429: components["responses"]["OAuthTooManyRequests"];
        };
    };
    jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JWK Set. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "keys": [
                     *         {
                     *           "kty": "RSA",
                     *           "kid": "3c1f0d7e5b2a",
                     *           "use": "sig",
                     *           "alg": "RS256",
                     *           "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
                     *           "e": "AQAB"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/jwk-set+json": components["schemas"]["JsonWebKeySet"];
                };
            };
        };
    };
    authorizationServerMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "issuer": "http://127.0.0.1:8080",
                     *       "authorization_endpoint": "http://127.0.0.1:8080/oauth2/authorize",
                     *       "token_endpoint": "http://127.0.0.1:8080/oauth2/token",
                     *       "revocation_endpoint": "http://127.0.0.1:8080/oauth2/revoke",
                     *       "introspection_endpoint": "http://127.0.0.1:8080/oauth2/introspect",
                     *       "jwks_uri": "http://127.0.0.1:8080/oauth2/jwks",
                     *       "scopes_supported": [
                     *         "matomo:read",
                     *         "matomo:write",
                     *         "matomo:admin",
                     *         "matomo:superuser",
                     *         "openid",
                     *         "profile",
                     *         "email"
                     *       ],
                     *       "response_types_supported": [
                     *         "code"
                     *       ],
                     *       "response_modes_supported": [
                     *         "query"
                     *       ],
                     *       "grant_types_supported": [
                     *         "authorization_code",
                     *         "client_credentials",
                     *         "refresh_token"
                     *       ],
                     *       "token_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "revocation_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "introspection_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post"
                     *       ],
                     *       "code_challenge_methods_supported": [
                     *         "S256"
                     *       ],
                     *       "authorization_response_iss_parameter_supported": true
                     *     }
                     */
                    "application/json": components["schemas"]["AuthorizationServerMetadata"];
                };
            };
        };
    };
    openidConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metadata document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "issuer": "http://127.0.0.1:8080",
                     *       "authorization_endpoint": "http://127.0.0.1:8080/oauth2/authorize",
                     *       "token_endpoint": "http://127.0.0.1:8080/oauth2/token",
                     *       "revocation_endpoint": "http://127.0.0.1:8080/oauth2/revoke",
                     *       "introspection_endpoint": "http://127.0.0.1:8080/oauth2/introspect",
                     *       "jwks_uri": "http://127.0.0.1:8080/oauth2/jwks",
                     *       "scopes_supported": [
                     *         "matomo:read",
                     *         "matomo:write",
                     *         "matomo:admin",
                     *         "matomo:superuser",
                     *         "openid",
                     *         "profile",
                     *         "email"
                     *       ],
                     *       "response_types_supported": [
                     *         "code"
                     *       ],
                     *       "response_modes_supported": [
                     *         "query"
                     *       ],
                     *       "grant_types_supported": [
                     *         "authorization_code",
                     *         "client_credentials",
                     *         "refresh_token"
                     *       ],
                     *       "token_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "revocation_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post",
                     *         "none"
                     *       ],
                     *       "introspection_endpoint_auth_methods_supported": [
                     *         "client_secret_basic",
                     *         "client_secret_post"
                     *       ],
                     *       "code_challenge_methods_supported": [
                     *         "S256"
                     *       ],
                     *       "authorization_response_iss_parameter_supported": true,
                     *       "userinfo_endpoint": "http://127.0.0.1:8080/oauth2/userinfo",
                     *       "end_session_endpoint": "http://127.0.0.1:8080/oauth2/logout",
                     *       "id_token_signing_alg_values_supported": [
                     *         "RS256"
                     *       ],
                     *       "subject_types_supported": [
                     *         "public"
                     *       ],
                     *       "claims_supported": [
                     *         "iss",
                     *         "sub",
                     *         "aud",
                     *         "exp",
                     *         "iat",
                     *         "auth_time",
                     *         "nonce",
                     *         "sid",
                     *         "at_hash",
                     *         "preferred_username",
                     *         "name",
                     *         "email",
                     *         "email_verified"
                     *       ],
                     *       "prompt_values_supported": [
                     *         "none",
                     *         "login",
                     *         "consent",
                     *         "select_account"
                     *       ],
                     *       "request_parameter_supported": false,
                     *       "request_uri_parameter_supported": false
                     *     }
                     */
                    "application/json": components["schemas"]["OpenIdProviderMetadata"];
                };
            };
        };
    };
    userinfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserInfo"];
            401: components["responses"]["BearerUnauthorized"];
            403: components["responses"]["BearerInsufficientScope"];
        };
    };
    userinfoPost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/x-www-form-urlencoded": {
                    access_token?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["UserInfo"];
            401: components["responses"]["BearerUnauthorized"];
            403: components["responses"]["BearerInsufficientScope"];
        };
    };
    endSession: {
        parameters: {
            query?: {
                /** @description An ID token this server issued to the application (expired ones are accepted). */
                id_token_hint?: components["parameters"]["id_token_hint"];
                /** @description The application asking; needed with `post_logout_redirect_uri` when there is no `id_token_hint`. */
                client_id?: components["parameters"]["logout_client_id"];
                /** @description Where to send the browser afterwards; must match one the client registered (exactly, apart from the port of a loopback address). */
                post_logout_redirect_uri?: components["parameters"]["post_logout_redirect_uri"];
                /** @description Returned unchanged with the redirect to `post_logout_redirect_uri`. */
                state?: components["parameters"]["logout_state"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HtmlPage"];
            /** @description Signed out; back to the application's `post_logout_redirect_uri`, with `state`. */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["HtmlError"];
        };
    };
    endSessionPost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EndSessionForm"];
            };
        };
        responses: {
            200: components["responses"]["HtmlPage"];
            /** @description Signed out (or not, when the user chose to stay); back to the application's `post_logout_redirect_uri`, with `state`. */
            303: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["HtmlError"];
            403: components["responses"]["HtmlForbidden"];
        };
    };
    loginPage: {
        parameters: {
            query?: {
                /** @description A local path of this server to return to after signing in. */
                return_to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HtmlPage"];
            400: components["responses"]["HtmlError"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["LoginForm"];
            };
        };
        responses: {
            /** @description Signed in; on to `return_to` (or the home page). */
            303: {
                headers: {
                    Location: components["headers"]["LocalLocation"];
                    "Set-Cookie": components["headers"]["SessionCookie"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["HtmlUnauthorized"];
            403: components["responses"]["HtmlForbidden"];
            429: components["responses"]["HtmlTooManyRequests"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["LogoutForm"];
            };
        };
        responses: {
            /** @description Signed out; on to the sign-in page. */
            303: {
                headers: {
                    Location: components["headers"]["LocalLocation"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: components["responses"]["HtmlForbidden"];
        };
    };
    accountPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["HtmlPage"];
            /** @description Not signed in; on to the sign-in page. */
            303: {
                headers: {
                    Location: components["headers"]["LocalLocation"];
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    revokeConnectedApplication: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["RevokeApplicationForm"];
            };
        };
        responses: {
            /** @description Done (or nothing to revoke); back to `/account`. */
            303: {
                headers: {
                    Location: components["headers"]["LocalLocation"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["HtmlError"];
            /** @description Not signed in (the session has ended, or the form came from another site); nothing changes. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            403: components["responses"]["HtmlForbidden"];
        };
    };
    "API.getMatomoVersion.query": {
        parameters: {
            query?: {
                format?: components["parameters"]["format"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["API.getMatomoVersion"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "API.getMatomoVersion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["FormatParams"];
            };
        };
        responses: {
            200: components["responses"]["API.getMatomoVersion"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "API.getBulkRequest.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                /** @description One API call per entry, as a URL-encoded query string (`urls[]=method%3DAPI.getMatomoVersion`). */
                "urls[]": components["parameters"]["bulkUrls"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["API.getBulkRequest"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "API.getBulkRequest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["BulkRequestParams"];
            };
        };
        responses: {
            200: components["responses"]["API.getBulkRequest"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.getSitesWithAtLeastViewAccess.query": {
        parameters: {
            query?: {
                format?: components["parameters"]["format"];
                limit?: components["parameters"]["limit"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["SitesManager.getSitesWithAtLeastViewAccess"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.getSitesWithAtLeastViewAccess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["SitesWithViewAccessParams"];
            };
        };
        responses: {
            200: components["responses"]["SitesManager.getSitesWithAtLeastViewAccess"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.getSitesIdWithAtLeastViewAccess.query": {
        parameters: {
            query?: {
                format?: components["parameters"]["format"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["SitesManager.getSitesIdWithAtLeastViewAccess"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.getSitesIdWithAtLeastViewAccess": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["FormatParams"];
            };
        };
        responses: {
            200: components["responses"]["SitesManager.getSitesIdWithAtLeastViewAccess"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.getSiteFromId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSite"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["SitesManager.getSiteFromId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.getSiteFromId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["SiteParams"];
            };
        };
        responses: {
            200: components["responses"]["SitesManager.getSiteFromId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.addSite.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                siteName: components["parameters"]["siteName"];
                urls?: components["parameters"]["urls"];
                ecommerce?: components["parameters"]["ecommerce"];
                siteSearch?: components["parameters"]["siteSearch"];
                timezone?: components["parameters"]["timezone"];
                currency?: components["parameters"]["currency"];
                excludedIps?: components["parameters"]["excludedIps"];
                group?: components["parameters"]["group"];
                startDate?: components["parameters"]["startDate"];
                searchKeywordParameters?: components["parameters"]["searchKeywordParameters"];
                searchCategoryParameters?: components["parameters"]["searchCategoryParameters"];
                excludedQueryParameters?: components["parameters"]["excludedQueryParameters"];
                excludedUserAgents?: components["parameters"]["excludedUserAgents"];
                excludedReferrers?: components["parameters"]["excludedReferrers"];
                keepURLFragments?: components["parameters"]["keepURLFragments"];
                excludeUnknownUrls?: components["parameters"]["excludeUnknownUrls"];
                type?: components["parameters"]["siteType"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["SitesManager.addSite"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.addSite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["AddSiteParams"];
            };
        };
        responses: {
            200: components["responses"]["SitesManager.addSite"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.updateSite.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSite"];
                siteName?: components["parameters"]["siteNameOptional"];
                urls?: components["parameters"]["urls"];
                ecommerce?: components["parameters"]["ecommerce"];
                siteSearch?: components["parameters"]["siteSearch"];
                timezone?: components["parameters"]["timezone"];
                currency?: components["parameters"]["currency"];
                excludedIps?: components["parameters"]["excludedIps"];
                group?: components["parameters"]["group"];
                startDate?: components["parameters"]["startDate"];
                searchKeywordParameters?: components["parameters"]["searchKeywordParameters"];
                searchCategoryParameters?: components["parameters"]["searchCategoryParameters"];
                excludedQueryParameters?: components["parameters"]["excludedQueryParameters"];
                excludedUserAgents?: components["parameters"]["excludedUserAgents"];
                excludedReferrers?: components["parameters"]["excludedReferrers"];
                keepURLFragments?: components["parameters"]["keepURLFragments"];
                excludeUnknownUrls?: components["parameters"]["excludeUnknownUrls"];
                type?: components["parameters"]["siteType"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["SitesManager.updateSite"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "SitesManager.updateSite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["UpdateSiteParams"];
            };
        };
        responses: {
            200: components["responses"]["SitesManager.updateSite"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitsSummary.get.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                format_metrics?: components["parameters"]["format_metrics"];
                columns?: components["parameters"]["columns"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["VisitsSummary.get"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitsSummary.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["VisitsSummaryParams"];
            };
        };
        responses: {
            200: components["responses"]["VisitsSummary.get"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitsSummary.getVisits.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["VisitsSummary.getVisits"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitsSummary.getVisits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["PeriodParams"];
            };
        };
        responses: {
            200: components["responses"]["VisitsSummary.getVisits"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.get.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Actions.get"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["PeriodParams"];
            };
        };
        responses: {
            200: components["responses"]["Actions.get"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getPageUrls.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Actions.getPageUrls"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getPageUrls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Actions.getPageUrls"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getDownloads.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Actions.getDownloads"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getDownloads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Actions.getDownloads"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getOutlinks.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Actions.getOutlinks"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getOutlinks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Actions.getOutlinks"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getEntryPageUrls.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Actions.getEntryPageUrls"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getEntryPageUrls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Actions.getEntryPageUrls"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getExitPageUrls.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Actions.getExitPageUrls"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getExitPageUrls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Actions.getExitPageUrls"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getPageTitles.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Actions.getPageTitles"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getPageTitles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Actions.getPageTitles"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getSiteSearchKeywords.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Actions.getSiteSearchKeywords"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Actions.getSiteSearchKeywords": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Actions.getSiteSearchKeywords"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getCategory.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                secondaryDimension?: components["parameters"]["secondaryDimension"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getCategory"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getCategory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getCategory"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getAction.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                secondaryDimension?: components["parameters"]["secondaryDimension"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getAction"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getAction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getAction"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getName.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                secondaryDimension?: components["parameters"]["secondaryDimension"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getName"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getName": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getName"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getActionFromCategoryId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getActionFromCategoryId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getActionFromCategoryId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getActionFromCategoryId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getNameFromCategoryId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getNameFromCategoryId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getNameFromCategoryId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getNameFromCategoryId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getCategoryFromActionId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getCategoryFromActionId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getCategoryFromActionId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getCategoryFromActionId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getNameFromActionId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getNameFromActionId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getNameFromActionId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getNameFromActionId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getActionFromNameId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getActionFromNameId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getActionFromNameId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getActionFromNameId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getCategoryFromNameId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Events.getCategoryFromNameId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Events.getCategoryFromNameId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["EventsSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Events.getCategoryFromNameId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getReferrerType.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSite"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                typeReferrer?: components["parameters"]["typeReferrer"];
                expanded?: components["parameters"]["expanded"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getReferrerType"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getReferrerType": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReferrerTypeParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getReferrerType"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getAll.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getAll"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getAll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getAll"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getWebsites.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getWebsites"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getWebsites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getWebsites"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getSearchEngines.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getSearchEngines"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getSearchEngines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getSearchEngines"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getKeywords.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getKeywords"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getKeywords": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getKeywords"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getSocials.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getSocials"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getSocials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getSocials"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getCampaigns.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                expanded?: components["parameters"]["expanded"];
                flat?: components["parameters"]["flat"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getCampaigns"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getCampaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TreeReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getCampaigns"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getUrlsFromWebsiteId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getUrlsFromWebsiteId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getUrlsFromWebsiteId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReferrerSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getUrlsFromWebsiteId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getKeywordsFromSearchEngineId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getKeywordsFromSearchEngineId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getKeywordsFromSearchEngineId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReferrerSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getKeywordsFromSearchEngineId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getSearchEnginesFromKeywordId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getSearchEnginesFromKeywordId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getSearchEnginesFromKeywordId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReferrerSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getSearchEnginesFromKeywordId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getKeywordsFromCampaignId.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                /** @description A parent report row's `idsubdatatable`. */
                idSubtable: components["parameters"]["idSubtableRequired"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getKeywordsFromCampaignId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getKeywordsFromCampaignId": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReferrerSubtableParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getKeywordsFromCampaignId"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getUrlsForSocial.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                idSubtable?: components["parameters"]["idSubtable"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Referrers.getUrlsForSocial"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Referrers.getUrlsForSocial": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["SocialUrlsParams"];
            };
        };
        responses: {
            200: components["responses"]["Referrers.getUrlsForSocial"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserCountry.getCountry.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserCountry.getCountry"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserCountry.getCountry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["UserCountry.getCountry"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "DevicesDetection.getType.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["DevicesDetection.getType"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "DevicesDetection.getType": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["DevicesDetection.getType"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "DevicesDetection.getBrowsers.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["DevicesDetection.getBrowsers"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "DevicesDetection.getBrowsers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["DevicesDetection.getBrowsers"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "DevicesDetection.getOsFamilies.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["DevicesDetection.getOsFamilies"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "DevicesDetection.getOsFamilies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["DevicesDetection.getOsFamilies"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitTime.getVisitInformationPerServerTime.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["VisitTime.getVisitInformationPerServerTime"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitTime.getVisitInformationPerServerTime": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["VisitTime.getVisitInformationPerServerTime"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitTime.getByDayOfWeek.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["VisitTime.getByDayOfWeek"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitTime.getByDayOfWeek": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["VisitTime.getByDayOfWeek"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Resolution.getResolution.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Resolution.getResolution"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Resolution.getResolution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["Resolution.getResolution"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserCountry.getContinent.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserCountry.getContinent"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserCountry.getContinent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["UserCountry.getContinent"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserCountry.getRegion.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserCountry.getRegion"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserCountry.getRegion": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["UserCountry.getRegion"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserCountry.getCity.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserCountry.getCity"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserCountry.getCity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["UserCountry.getCity"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserLanguage.getLanguage.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserLanguage.getLanguage"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "UserLanguage.getLanguage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["UserLanguage.getLanguage"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitTime.getVisitInformationPerLocalTime.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["VisitTime.getVisitInformationPerLocalTime"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitTime.getVisitInformationPerLocalTime": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["VisitTime.getVisitInformationPerLocalTime"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitFrequency.get.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                format_metrics?: components["parameters"]["format_metrics"];
                columns?: components["parameters"]["columns"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["VisitFrequency.get"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitFrequency.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["VisitsSummaryParams"];
            };
        };
        responses: {
            200: components["responses"]["VisitFrequency.get"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Goals.getGoals.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                /** @description Matomo orders the goals by name (case-insensitively); the keys stay the goal ids, so a JSON parser that orders integer keys (JavaScript's does) sees them by id anyway. */
                orderByName?: components["schemas"]["GoalsOrderByName"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Goals.getGoals"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Goals.getGoals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["GoalsGetGoalsParams"];
            };
        };
        responses: {
            200: components["responses"]["Goals.getGoals"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Goals.get.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                format_metrics?: components["parameters"]["format_metrics"];
                idGoal?: components["schemas"]["IdGoal"];
                columns?: components["schemas"]["GoalsColumns"];
                showAllGoalSpecificMetrics?: components["schemas"]["ShowAllGoalSpecificMetrics"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Goals.get"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Goals.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["GoalsGetParams"];
            };
        };
        responses: {
            200: components["responses"]["Goals.get"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitorInterest.getNumberOfVisitsPerVisitDuration.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["VisitorInterest.getNumberOfVisitsPerVisitDuration"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitorInterest.getNumberOfVisitsPerVisitDuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["VisitorInterest.getNumberOfVisitsPerVisitDuration"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitorInterest.getNumberOfVisitsPerPage.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                filter_pattern_recursive?: components["parameters"]["filter_pattern_recursive"];
                filter_column_recursive?: components["parameters"]["filter_column_recursive"];
                filter_truncate?: components["parameters"]["filter_truncate"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["VisitorInterest.getNumberOfVisitsPerPage"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "VisitorInterest.getNumberOfVisitsPerPage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ReportParams"];
            };
        };
        responses: {
            200: components["responses"]["VisitorInterest.getNumberOfVisitsPerPage"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Live.getLastVisitsDetails.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                period?: components["parameters"]["periodOptional"];
                date?: components["parameters"]["dateOptional"];
                segment?: components["parameters"]["segment"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                countVisitorsToFetch?: components["schemas"]["CountVisitorsToFetch"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                hideColumnsRecursively?: components["parameters"]["hideColumnsRecursively"];
                minTimestamp?: components["parameters"]["minTimestamp"];
                doNotFetchActions?: components["parameters"]["doNotFetchActions"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Live.getLastVisitsDetails"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Live.getLastVisitsDetails": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["LastVisitsParams"];
            };
        };
        responses: {
            200: components["responses"]["Live.getLastVisitsDetails"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Live.getCounters.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSite"];
                lastMinutes: components["parameters"]["lastMinutes"];
                segment?: components["parameters"]["segment"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Live.getCounters"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Live.getCounters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["LiveCountersParams"];
            };
        };
        responses: {
            200: components["responses"]["Live.getCounters"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Live.getVisitorProfile.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSite"];
                /** @description 16 hexadecimal characters; by default the visitor of the site's most recent visit. */
                visitorId?: components["parameters"]["visitorId"];
                segment?: components["parameters"]["segment"];
                /** @description How many of the most recent visits to list in `lastVisits` (10 by default). */
                limitVisits?: components["parameters"]["limitVisits"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Live.getVisitorProfile"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Live.getVisitorProfile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["VisitorProfileParams"];
            };
        };
        responses: {
            200: components["responses"]["Live.getVisitorProfile"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Annotations.getAll.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSites"];
                date?: components["parameters"]["dateOptional"];
                period?: components["parameters"]["periodOptional"];
                lastN?: components["parameters"]["lastN"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Annotations.getAll"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Annotations.getAll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["AnnotationsGetAllParams"];
            };
        };
        responses: {
            200: components["responses"]["Annotations.getAll"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Annotations.add.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSite"];
                date: components["parameters"]["annotationDate"];
                note: components["parameters"]["note"];
                starred?: components["parameters"]["starred"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Annotations.add"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Annotations.add": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["AnnotationAddParams"];
            };
        };
        responses: {
            200: components["responses"]["Annotations.add"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Annotations.delete.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSite"];
                idNote: components["parameters"]["idNote"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Annotations.delete"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "Annotations.delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["AnnotationDeleteParams"];
            };
        };
        responses: {
            200: components["responses"]["Annotations.delete"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "MultiSites.getAll.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                format_metrics?: components["parameters"]["format_metrics"];
                filter_limit?: components["parameters"]["filter_limit"];
                filter_offset?: components["parameters"]["filter_offset"];
                filter_sort_column?: components["parameters"]["filter_sort_column"];
                filter_sort_order?: components["parameters"]["filter_sort_order"];
                filter_pattern?: components["parameters"]["filter_pattern"];
                filter_column?: components["parameters"]["filter_column"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                label?: components["parameters"]["label"];
                disable_generic_filters?: components["parameters"]["disable_generic_filters"];
                enhanced?: components["schemas"]["MultiSitesEnhanced"];
                pattern?: components["schemas"]["MultiSitesPattern"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MultiSites.getAll"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "MultiSites.getAll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["MultiSitesAllParams"];
            };
        };
        responses: {
            200: components["responses"]["MultiSites.getAll"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "MultiSites.getOne.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                idSite: components["parameters"]["idSite"];
                period: components["parameters"]["period"];
                date: components["parameters"]["date"];
                segment?: components["parameters"]["segment"];
                format_metrics?: components["parameters"]["format_metrics"];
                showColumns?: components["parameters"]["showColumns"];
                hideColumns?: components["parameters"]["hideColumns"];
                enhanced?: components["schemas"]["MultiSitesEnhanced"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MultiSites.getOne"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "MultiSites.getOne": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["MultiSitesOneParams"];
            };
        };
        responses: {
            200: components["responses"]["MultiSites.getOne"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.getClients.query": {
        parameters: {
            query?: {
                format?: components["parameters"]["format"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["OAuth2.getClients"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.getClients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["FormatParams"];
            };
        };
        responses: {
            200: components["responses"]["OAuth2.getClients"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.getClient.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                clientId: components["parameters"]["clientId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["OAuth2.getClient"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.getClient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ClientIdParams"];
            };
        };
        responses: {
            200: components["responses"]["OAuth2.getClient"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.getScopes.query": {
        parameters: {
            query?: {
                format?: components["parameters"]["format"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["OAuth2.getScopes"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.getScopes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["FormatParams"];
            };
        };
        responses: {
            200: components["responses"]["OAuth2.getScopes"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.createClient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["CreateClientParams"];
            };
        };
        responses: {
            200: components["responses"]["OAuth2.createClient"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.updateClient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["UpdateClientParams"];
            };
        };
        responses: {
            200: components["responses"]["OAuth2.updateClient"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.rotateSecret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ConfirmedClientIdParams"];
            };
        };
        responses: {
            200: components["responses"]["OAuth2.rotateSecret"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.setClientActive.query": {
        parameters: {
            query: {
                format?: components["parameters"]["format"];
                clientId: components["parameters"]["clientId"];
                active: components["parameters"]["active"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["OAuth2.setClientActive"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.setClientActive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["SetClientActiveParams"];
            };
        };
        responses: {
            200: components["responses"]["OAuth2.setClientActive"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
    "OAuth2.deleteClient": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["ConfirmedClientIdParams"];
            };
        };
        responses: {
            200: components["responses"]["OAuth2.deleteClient"];
            400: components["responses"]["MatomoBadRequest"];
            401: components["responses"]["MatomoUnauthorized"];
            403: components["responses"]["MatomoInsufficientScope"];
        };
    };
}
