"""Writes the CSV fixtures byte for byte, so each really is in the encoding it claims.

Run from this folder: python3 make_fixtures.py (the outputs are committed; rerun only to change them).
"""

def write(name, text, encoding, bom=b"", newline="\n"):
    data = bom + text.replace("\n", newline).encode(encoding)
    with open(name, "wb") as f:
        f.write(data)

# Finnish Excel, "CSV (erottimina puolipisteet)": Windows-1252, ';' and CRLF.
write("excel-fi-cp1252.csv",
      "Sähköposti;Etunimi;Sukunimi;Kunta;Kiinnostukset;Suostumus;Suostumus pvm;Jäsenmaksu\n"
      "aino.aijala@example.fi;Aino;Äijälä;Saarijärvi;tanssi, teatteri;lomake;1.3.2026;10 €\n"
      "olli.ohman@example.fi;Olli;Öhman;Äänekoski;musiikki;tapahtuma;15.02.2026 14.05;0 €\n"
      "asta.astrom@example.fi;Åsta;Åström;jyvaskyla;;lomake;2026-01-20;\n"
      "pekka@example.fi;\"Pekka \"\"Pete\"\"; Juhani\";Puolipiste;Laukaa;;;;\n",
      "cp1252", newline="\r\n")

# Excel "CSV UTF-8": byte order mark, ';' and CRLF.
write("excel-utf8-bom.csv",
      "Sähköpostiosoite;Nimi;Kotikunta;Kieli\n"
      "Maija.Meikalainen@Example.FI;Maija Meikäläinen;Jämsä;suomi\n"
      "sven.svensson@example.fi;Sven Svensson;Jyväskylä;svenska\n"
      "juha@kylä.example.fi;Juha Kylä;Multia;\n",
      "utf-8", bom=b"\xef\xbb\xbf", newline="\r\n")

# Google Sheets / LibreOffice: UTF-8, ',' and LF, a quoted field over several lines.
write("sheets-multiline.csv",
      "Email,Name,Municipality,Interests,Notes\n"
      "liisa@example.fi,Liisa Laine,Keuruu,\"tanssi;sirkus\",\"Tapasimme messuilla,\n"
      "hän sanoi: \"\"lähettäkää kirje\"\"\n"
      "ja kolmas rivi\"\n"
      "matti@example.fi,\"Virtanen, Matti\",Petäjävesi,kirjallisuus,\n",
      "utf-8")

# Bad rows among good ones: each rejected row says why, by line.
write("bad-rows.csv",
      "email,name,municipality,consented_at\n"
      "good.one@example.fi,Hyvä Yksi,Jyväskylä,2026-01-01\n"   # 2 ok
      "no-at-sign.example.fi,Ei Ättä,Laukaa,\n"                # 3 no @
      "two@@example.fi,Kaksi Ätä,Laukaa,\n"                    # 4 two @
      "with space@example.fi,Väli Lyönti,,\n"                  # 5 space
      "nodot@localhost,Ei Pistettä,,\n"                        # 6 no dot in domain
      ",Tyhjä Osoite,,\n"                                      # 7 empty address
      "too@many.fi,Liikaa,Kenttiä,2026-01-01,ylimääräinen\n"   # 8 too many fields
      "bad.date@example.fi,Huono Päivä,,eilen\n"               # 9 bad date
      "GOOD.ONE@example.fi,Sama Uudelleen,,\n"                 # 10 duplicate of line 2
      "tampere@example.fi,Tampereelta,Tampere,\n"              # 11 unknown municipality: kept
      "unsubscribed@example.fi,Peruttu,,\n"                    # 12 suppressed
      "jänis@example.fi,Ei ASCII,,\n",                         # 13 non-ASCII local part
      "utf-8")
