import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { MailModule } from '../mail/mail.module';
import { AccountEmailService } from './account-email.service';
import { EmailToken } from './email-token.entity';
import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, EmailToken]), MailModule],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, AccountEmailService],
  exports: [UsersService, PasswordHasher, AccountEmailService],
})
export class UsersModule {}
