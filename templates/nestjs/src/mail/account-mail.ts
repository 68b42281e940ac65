import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import type { Settings } from '../config/settings';
import { MAILS, type MailTemplate } from './mail-messages';
import { type Mail, MailSender } from './mail-sender';

/**
 * A link's lifetime in words: whole hours, else whole minutes, else seconds ("1 hour",
 * "90 minutes", "45 seconds").
 */
export function validFor(seconds: number): string {
  const [count, unit] =
    seconds % 3600 === 0
      ? [seconds / 3600, 'hour']
      : seconds % 60 === 0
        ? [seconds / 60, 'minute']
        : [seconds, 'second'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/** A template with its `{link}` and `{valid_for}` filled in (escaped in the HTML part). */
export function compose(
  template: MailTemplate,
  to: string,
  link: string,
  ttlSeconds: number,
): Mail {
  const fill = (body: string, escape: (text: string) => string) =>
    body.replaceAll('{link}', escape(link)).replaceAll('{valid_for}', escape(validFor(ttlSeconds)));
  return {
    to,
    subject: template.subject,
    text: fill(template.text, (text) => text),
    html: fill(template.html, escapeHtml),
  };
}

/** The account emails: a password reset link and an email verification link. */
@Injectable()
export class AccountMail {
  private readonly frontendUrl: string;
  private readonly resetTtl: number;
  private readonly verificationTtl: number;

  constructor(
    config: ConfigService<Settings, true>,
    private readonly sender: MailSender,
  ) {
    this.frontendUrl = config.get('FRONTEND_URL', { infer: true }).replace(/\/+$/, '');
    this.resetTtl = config.get('PASSWORD_RESET_TTL_SECONDS', { infer: true });
    this.verificationTtl = config.get('EMAIL_VERIFICATION_TTL_SECONDS', { infer: true });
  }

  /** Tokens are base64url: they go into the query string as they are. */
  passwordReset(to: string, token: string): void {
    const link = `${this.frontendUrl}/reset-password?token=${token}`;
    this.sender.send(compose(MAILS.passwordReset, to, link, this.resetTtl));
  }

  emailVerification(to: string, token: string): void {
    const link = `${this.frontendUrl}/verify-email?token=${token}`;
    this.sender.send(compose(MAILS.emailVerification, to, link, this.verificationTtl));
  }
}
