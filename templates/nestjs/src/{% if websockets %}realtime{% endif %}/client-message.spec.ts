import { parseClientMessage } from './client-message';

describe('parseClientMessage', () => {
  it('reads an auth message, ignoring other members', () => {
    expect(parseClientMessage('{"type":"auth","access_token":"t","extra":1}')).toEqual({
      type: 'auth',
      accessToken: 't',
    });
  });

  it('keeps an auth message whose token is missing or not a string', () => {
    expect(parseClientMessage('{"type":"auth"}')).toEqual({ type: 'auth', accessToken: null });
    expect(parseClientMessage('{"type":"auth","access_token":5}')).toEqual({
      type: 'auth',
      accessToken: null,
    });
  });

  it.each(['not json', '[]', 'null', '"auth"', '{"type":"ping"}', '{}'])('refuses %s', (text) => {
    expect(parseClientMessage(text)).toBeNull();
  });
});
