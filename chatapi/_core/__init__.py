"""Pure building blocks of chatapi: no awaits, no aiohttp, testable without an event loop."""
