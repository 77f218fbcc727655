#!/usr/bin/python3
"""Writes the fuzzers' seed corpora (fuzz/corpus/<harness>/) and dictionaries
(fuzz/<harness>.dict) from the data files, decks, unit table and parameter
tables in the tree. Run from anywhere; rerun when those change."""
import glob, os, re, struct

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fuzz = os.path.join(root, "fuzz")

def put(harness, name, data):
    d = os.path.join(fuzz, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

def read(rel):
    with open(os.path.join(root, rel), "rb") as f:
        return f.read()

def dict_file(harness, tokens):
    seen, lines = set(), []
    for t in tokens:
        if t in seen or not t:
            continue
        seen.add(t)
        esc = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "\\x%02x" % ord(c) for c in t)
        lines.append('"%s"' % esc)
    with open(os.path.join(fuzz, harness + ".dict"), "w") as f:
        f.write("# libFuzzer dictionary for %s (written by fuzz/make_seeds.py)\n" % harness)
        f.write("\n".join(lines) + "\n")

# Parameter names (section.key) and choice words from the module tables.
names = set()
for path in glob.glob(os.path.join(root, "*", "*.c")):
    text = open(path, encoding="utf-8", errors="replace").read()
    names.update(re.findall(r'\{"([a-z_]+)", "([a-z_0-9]+)", LSIM_PARAM_', text))
names = sorted(names)
sections = sorted({s for s, _ in names})
units = re.findall(r'\{"([A-Za-z]+)", [^,]+, \{', open(os.path.join(root, "core", "units.c")).read())
unit_tokens = units + ["/", "^", "-", "2", "-1", "-2", "1e", "e-", ".", " ", "inf", "nan", "0x"]

# --- deck
for p in sorted(glob.glob(os.path.join(root, "data", "decks", "*.yaml"))):
    put("fuzz_deck", os.path.basename(p), read(os.path.relpath(p, root)))
put("fuzz_deck", "flow_style.yaml", "run: {duration: 2 d, seed: 7}\npower: {array_area: 10 m2}\n")
put("fuzz_deck", "quoted.yaml", 'run:\n  start_epoch: "2030-01-01 00:00:00"\n  duration: "3 yr"\n')
put("fuzz_deck", "anchors.yaml", "run: &r\n  seed: 1\nchain: *r\n")
put("fuzz_deck", "unknown_key.yaml", "run:\n  durration: 2 yr\n")
dict_file("fuzz_deck", [s + ":" for s in sections] + [k + ":" for _, k in names] +
          ["\n  ", ": ", "- ", "{", "}", "[", "]", "&a", "*a", "!!str", "'", '"', "\\0", "\\N", "\\x00",
           "\\u2028", "---", "...", "#", "true", "false", "none", "yes", "~", "%YAML 1.1"] + unit_tokens)

# --- --set
put("fuzz_override", "real", "massdriver.exit_speed=2.4 km/s")
put("fuzz_override", "several", "run.duration=2 yr\nrun.seed=7\npower.array_area=1 km2\n")
put("fuzz_override", "choice", "regolith.dig_energy_model=granular")
put("fuzz_override", "text", "regolith.site=apollo11")
put("fuzz_override", "bool_epoch", "run.start_epoch=2031-06-01 12:00:00")
dict_file("fuzz_override", ["%s.%s=" % n for n in names] + ["=", ".", "\n"] + unit_tokens)

# --- --vary (first byte: bit 0 LHS, the rest the sample count)
put("fuzz_vary", "grid", b"\x00massdriver.exit_speed=2.3 km/s:2.5 km/s:5")
put("fuzz_vary", "list", b"\x00run.seed=1,2,3\nregolith.site=apollo11,apollo16")
put("fuzz_vary", "lhs", b"\x11power.array_area=100 m2:1 km2\nrun.seed=1,2")
put("fuzz_vary", "choice", b"\x00regolith.dig_energy_model=rassor,granular")
dict_file("fuzz_vary", ["%s.%s=" % n for n in names] + [":", ",", "=", "\n"] + unit_tokens)

# --- units
for i, q in enumerate(["2.4 km/s", "150 t", "13 kWh/kg", "5 GW", "20 yr", "9.81 m/s^2", "5.67e-8 W m-2 K-4",
                       "1", "0.3", "1 kg m-2", "3 mohm", "2 uF", "1e300 TW"]):
    put("fuzz_units", "q%02d" % i, q)
dict_file("fuzz_units", unit_tokens)

# --- data files
put("fuzz_site_table", "lunar_sourcebook_table_7_15.csv", read("data/sites/lunar_sourcebook_table_7_15.csv"))
put("fuzz_site_table", "one_row.csv", "site_id,description,SiO2,TiO2,Al2O3,FeO,MgO,CaO,Na2O,source\n"
    "apollo11,x,42.2,7.8,13.6,15.3,7.8,11.9,0.47,s\n")
put("fuzz_routes", "refinery_routes.csv", read("data/routes/refinery_routes.csv"))
routes = [l for l in read("data/routes/refinery_routes.csv").decode().splitlines() if l.startswith("mre,")]
put("fuzz_routes", "mre_only.csv", "\n".join(routes) + "\n")
route_words = set()
for l in read("data/routes/refinery_routes.csv").decode().splitlines():
    if l and not l.startswith("#"):
        route_words.update(l.split(",")[:2])
dict_file("fuzz_routes", sorted(route_words) + [",", "\n", "#", "%", "kWh/kg", "MJ/kg", "V", "1", "kg/s", "t"])
dict_file("fuzz_site_table", ["site_id", "description", "SiO2", "TiO2", "Al2O3", "FeO", "MgO", "CaO", "Na2O",
                              "source", "apollo11", "apollo16", ",", "\n", "#", "-", "1e", "nan", "inf"])
put("fuzz_illumination", "polar_illumination.csv", read("data/sites/polar_illumination.csv"))
put("fuzz_illumination", "two_rows.csv", "ground_area_m2,illumination,basis\n0,0.9,a\n1000,0.5,b\n")
dict_file("fuzz_illumination", ["ground_area_m2", "illumination", "basis", ",", "\n", "#", "0", "1e", "-",
                                "nan", "inf", "0.5"])

# --- checkpoints: the format of core/state.c (magic, version, header, entries, FNV-1a checksum)
TYPES = {"f64": (1, "d"), "i64": (2, "q"), "i32": (3, "i"), "u8": (4, "B"), "size": (5, "Q")}

def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h

def checkpoint(entries, version=1):
    out = b"LSIMCKPT" + struct.pack("<I", version) + b"0.1.0".ljust(32, b"\0")
    out += struct.pack("<QqqQ", 0x1234, 100, 5, len(entries))
    for name, kind, values in entries:
        code, fmt = TYPES[kind]
        out += struct.pack("<I", len(name)) + name.encode() + struct.pack("<IQ", code, len(values))
        out += b"".join(struct.pack("<" + fmt, v) for v in values)
    return out + struct.pack("<Q", fnv1a(out))

put("fuzz_checkpoint", "full.ckpt", checkpoint([("fuzz.count", "size", [3]), ("fuzz.values", "f64", [1.0, 2.5, -3.0]),
                                               ("fuzz.i64", "i64", [1, 2, 3, 4]), ("fuzz.i32", "i32", [5, 6, 7, 8]),
                                               ("fuzz.u8", "u8", [9, 10, 11, 12])]))
put("fuzz_checkpoint", "empty.ckpt", checkpoint([]))
put("fuzz_checkpoint", "wrong_type.ckpt", checkpoint([("fuzz.count", "f64", [3.0]), ("fuzz.u8", "u8", [1])]))
put("fuzz_checkpoint", "version2.ckpt", checkpoint([], version=2))
dict_file("fuzz_checkpoint", ["LSIMCKPT", "fuzz.count", "fuzz.values", "fuzz.i64", "fuzz.i32", "fuzz.u8",
                              "\x01\x00\x00\x00", "\x05\x00\x00\x00", "\xff\xff\xff\xff"])
