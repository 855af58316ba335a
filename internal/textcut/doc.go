// Package textcut shortens text for messages, logs and pages by runes,
// never in the middle of a UTF-8 encoded character.
//
//	textcut.Ellipsis("päivää", 3) // "päi…"
package textcut
