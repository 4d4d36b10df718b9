package e2e

import "bytes"

func bytesContains(b, sub []byte) bool { return bytes.Contains(b, sub) }
