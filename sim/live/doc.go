// Package live serves the classroom page of pushpull: a web page that runs a
// market one simulated day at a time, draws the social-gravity orbit and the
// adoption, advocacy and churn curves of every brand as they grow, and lets
// a class change a brand's strategy while it runs ("what if the brand stops
// pushing?").
//
// # Sessions
//
// Every viewer gets a market of their own: the projector's demonstration
// goes on undisturbed while students try their own "what if" on laptops.
// A Server holds at most Config.MaxSessions sessions and closes a session
// that nobody has watched for Config.IdleTimeout, so memory stays bounded
// by the cap times SessionBytes. All sessions share one social graph, built
// once from the scenario (a graph is read-only to the engine); each has its
// own Market, whose first run uses the scenario's seed, as `pushpull run`'s
// first replicate does, and whose resets draw new seeds from an explicit
// math/rand/v2 source. A session's clock advances only while at least one
// of its pages is connected.
//
// # Protocol
//
// The page is embedded in the binary (no CDN, no build step): plain HTML,
// CSS and JavaScript drawing on canvases. It talks to the server in JSON:
//
//	POST /api/sessions                  open a session: its id, the colours and the orbit layout
//	GET  /api/sessions/{id}/events      Server-Sent Events: "state", "update", "closed"
//	POST /api/sessions/{id}/control     {"action": "play" | "pause" | "step" | "speed" | "reset" | "restore", "speed": 8}
//	POST /api/sessions/{id}/set         {"set": "brand.NAME.push.rate=0.5"}
//	POST /api/sessions/{id}/close       end the session (the page sends it when it is closed)
//
// A "state" event carries everything the page draws, and is sent when a
// stream opens and after a reset; "update" events carry the days, changes
// and orbit since the stream's last event, at most twenty a second, so a
// slow viewer skips orbit frames but never loses a point of a curve.
// "closed" says why the session ended. Errors are JSON, {"error": "..."},
// with a 4xx status. A change is validated by package scenario exactly as
// a scenario file or --set is, so the page shows the same message, and
// applies from the next day; the page marks it on the curves.
package live
