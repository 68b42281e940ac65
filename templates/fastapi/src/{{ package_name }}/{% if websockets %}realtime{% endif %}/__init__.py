"""Item events pushed to signed-in clients over the WebSocket at /ws."""
