import { Module } from '@nestjs/common';

import { AccountMail } from './account-mail';
import { MailSender } from './mail-sender';

/** Outgoing mail (SMTP_URL), sent in the background of the process. */
@Module({
  providers: [MailSender, AccountMail],
  exports: [MailSender, AccountMail],
})
export class MailModule {}
