"""Statistical named-entity recognition trained on the MSRA news corpus.

The model reads characters, not pkuseg words: one entity in ten in MSRA ends
inside a pkuseg word (中|美 in 中美, 邓小平 in 邓小平理论), which a word-level
tagger could never mark. The pkuseg words are not thrown away: each
character carries its word and its place in that word as features.
"""
