package live

import "embed"

// pageFiles is the classroom page: plain HTML, CSS and JavaScript, embedded
// so that the binary works offline in a classroom, with no build step and
// nothing fetched from elsewhere.
//
//go:embed page
var pageFiles embed.FS
