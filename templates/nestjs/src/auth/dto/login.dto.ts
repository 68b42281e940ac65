import { IsString, MaxLength, MinLength } from 'class-validator';

/** The OAuth2 password grant's form fields (so the docs' Authorize button works). */
export class LoginDto {
  /** The account's email. */
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  username: string;

  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}
