import TiedoteCLI

Tiedote.main()
