import type { ConfigService } from '@nestjs/config';

import type { Settings } from '../config/settings';
import { AccountMail, compose, escapeHtml, validFor } from './account-mail';
import { MAILS } from './mail-messages';
import type { Mail, MailSender } from './mail-sender';

describe('validFor', () => {
  it.each([
    [3600, '1 hour'],
    [7200, '2 hours'],
    [86_400, '24 hours'],
    [60, '1 minute'],
    [90 * 60, '90 minutes'],
    [1, '1 second'],
    [45, '45 seconds'],
    [3601, '3601 seconds'],
    [3660, '61 minutes'],
  ])('%d seconds is "%s"', (seconds, words) => {
    expect(validFor(seconds)).toBe(words);
  });
});

describe('compose', () => {
  it('fills in the link and lifetime, escaped in the HTML part', () => {
    const template = {
      subject: 'S',
      text: 'Open {link} within {valid_for}.',
      html: '<a href="{link}">{valid_for}</a>',
    };
    const link = 'https://app.example/a?x=1&y="2"';
    expect(compose(template, 'a@example.com', link, 1800)).toEqual({
      to: 'a@example.com',
      subject: 'S',
      text: 'Open https://app.example/a?x=1&y="2" within 30 minutes.',
      html: '<a href="https://app.example/a?x=1&amp;y=&quot;2&quot;">30 minutes</a>',
    });
    expect(escapeHtml(`<'&'>`)).toBe('&lt;&#x27;&amp;&#x27;&gt;');
  });

  it('leaves no placeholder in the shared messages', () => {
    for (const template of Object.values(MAILS)) {
      const mail = compose(template, 'a@example.com', 'https://app.example/x?token=t', 60);
      for (const body of [mail.subject, mail.text, mail.html]) expect(body).not.toMatch(/[{}]/);
      expect(mail.text).toContain('https://app.example/x?token=t');
      expect(mail.html).toContain('href="https://app.example/x?token=t"');
    }
  });
});

describe('AccountMail', () => {
  it('links to FRONTEND_URL without its trailing slash', () => {
    const values: Partial<Settings> = {
      FRONTEND_URL: 'https://app.example/',
      PASSWORD_RESET_TTL_SECONDS: 3600,
      EMAIL_VERIFICATION_TTL_SECONDS: 120,
    };
    const config = { get: (key: keyof Settings) => values[key] } as ConfigService<Settings, true>;
    const sent: Mail[] = [];
    const sender = { send: (mail: Mail) => sent.push(mail) } as unknown as MailSender;
    const mail = new AccountMail(config, sender);
    mail.passwordReset('a@example.com', 'reset-token');
    mail.emailVerification('b@example.com', 'verify-token');
    expect(sent[0]).toMatchObject({ to: 'a@example.com', subject: MAILS.passwordReset.subject });
    expect(sent[0].text).toContain('https://app.example/reset-password?token=reset-token');
    expect(sent[0].text).toContain('within 1 hour');
    expect(sent[1]).toMatchObject({
      to: 'b@example.com',
      subject: MAILS.emailVerification.subject,
    });
    expect(sent[1].text).toContain('https://app.example/verify-email?token=verify-token');
    expect(sent[1].text).toContain('within 2 minutes');
  });
});
