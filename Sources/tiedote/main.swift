import TiedoteCLI

ConsoleStream.ignoreBrokenPipes()
Tiedote.main()
