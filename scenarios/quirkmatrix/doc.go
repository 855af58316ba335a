// Package quirkmatrix checks the catalog against the mock's quirks: for
// each quirk (a rule the mock can be told to break) it names the
// scenarios that must catch it ([Catchers]), runs the catalog against a
// mock with that quirk on ([Run]) and reports holes and stray failures
// ([Matrix.Problems]). `make quirk-matrix` runs it; the table is the
// golden file testdata/quirk-matrix.golden.
package quirkmatrix
