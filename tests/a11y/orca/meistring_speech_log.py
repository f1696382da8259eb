"""A speech server for Orca that speaks nothing and writes what it is given, one utterance a line, to the file
$MEISTRING_ORCA_SPEECH: what Orca would say to a person, for a test to read. What its say all reads (KP_Add once)
is written after «say all: », so a test tells it from the same words said another way (flat review's)."""
import os

from orca import speechserver


class SpeechServer(speechserver.SpeechServer):
    _server = None

    @staticmethod
    def getFactoryName():
        return "Meistring's test log"

    @staticmethod
    def getSpeechServers():
        return [SpeechServer.getSpeechServer()]

    @staticmethod
    def getSpeechServer(info=None):
        if SpeechServer._server is None:
            SpeechServer._server = SpeechServer()
        return SpeechServer._server

    @staticmethod
    def shutdownActiveServers():
        pass

    def __init__(self):
        self._out = open(os.environ["MEISTRING_ORCA_SPEECH"], "a", encoding="utf-8")

    def _say(self, text):
        if text:
            self._out.write(str(text).replace("\n", " ") + "\n")
            self._out.flush()

    def getInfo(self):
        return ["Meistring's test log", "meistring-log"]

    def getVoiceFamilies(self):
        return []

    def speak(self, text=None, acss=None, interrupt=True):
        self._say(text)

    def speakCharacter(self, character, acss=None):
        self._say(character)

    def speakKeyEvent(self, event, acss=None):
        self._say(getattr(event, "event_string", ""))

    def sayAll(self, utteranceIterator, progressCallback):
        for context, acss in utteranceIterator:
            if context.utterance:
                self._say("say all: " + context.utterance)

    def stop(self):
        pass

    def shutdown(self):
        self._out.close()

    def reset(self, text=None, acss=None):
        pass

    def __getattr__(self, name):  # rate, pitch, punctuation, capitalisation: nothing to set
        return lambda *args, **kwargs: None
