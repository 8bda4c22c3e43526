"""The check language: expressions over an answer (`nodes`), the units they talk about
(`units`), how they are graded (`evaluate`, `predicates`, `formats`), read in English
(`describe`), written as JSON (`codec`, `schema`) and built by rules (`build`)."""
