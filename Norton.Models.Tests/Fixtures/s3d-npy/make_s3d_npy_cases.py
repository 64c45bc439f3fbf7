"""Makes the small .npy files and Python-derived tokeniser cases used by Norton.Models.Tests/S3D.

Run with Debian's python3 (numpy 1.24): /usr/bin/python3 make_s3d_npy_cases.py
"""
import json
import re

import numpy as np

def save(name, arr, version=None):
    with open(name, "wb") as f:
        np.lib.format.write_array(f, arr, version=version, allow_pickle=False)

# 2-d <U3 array: flattening in C order, a short string (NUL-padded), an empty string, a non-BMP code point.
words_2d = np.array([["a", "bb", "c\u00e9d"], ["\U0001F600x", "", "zz"]], dtype="<U3")
save("words_2d_U3.npy", words_2d)
save("words_v2_U5.npy", np.array(["caf\u00e9", "x_y", "don't"], dtype="<U5"), version=(2, 0))
save("words_v3_U2.npy", np.array(["\u00fc", "ab"], dtype="<U2"), version=(3, 0))
# Unsupported: big-endian strings, a float array, a Fortran-ordered 2-d string array.
save("bad_bigendian_U2.npy", np.array(["ab", "c"], dtype=">U2"))
save("bad_float32.npy", np.zeros(3, dtype="<f4"))
save("bad_fortran_U1.npy", np.asfortranarray(np.array([["a", "b"], ["c", "d"]], dtype="<U1")))

expected = {
    "words_2d_U3.npy": [str(s) for s in words_2d.ravel(order="C")],
    "words_v2_U5.npy": [str(s) for s in np.load("words_v2_U5.npy")],
    "words_v3_U2.npy": [str(s) for s in np.load("words_v3_U2.npy")],
}

# Tokeniser split rule of S3D's Sentence_Embedding: re.findall(r"[\w']+", s.lower()).
sentences = [
    "ΟΔΟΣ ΣΟΦΟΣ.",          # final sigma in str.lower()
    "ΑΣ'Α",                 # sigma followed by a case-ignorable then a letter: not final
    "İstanbul",             # U+0130 lowercases to i + U+0307 (a combining mark, not \w)
    "x²y ½ Ⅻ",              # No / Nl numbers are \w
    "e\u0301t\u00e9",       # decomposed é: the combining mark splits the word
    "a\u203fb",             # connector punctuation other than _ is not \w
    "\u0661\u0662\u0663 ok",# Arabic-Indic digits
    "ǅemal",                # titlecase letter
    "don't-stop it's",      # apostrophes kept, hyphen splits
    "Hello, WORLD!! 42_x",
    "",
    "   ",
]
cases = [{"sentence": s, "words": re.findall(r"[\w']+", s.lower())} for s in sentences]

with open("expected.json", "w", encoding="utf-8") as f:
    json.dump({"npy": expected, "split_cases": cases}, f, ensure_ascii=True, indent=1)
