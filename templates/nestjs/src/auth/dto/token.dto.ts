export class TokenDto {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  /** Access token lifetime in seconds. */
  expires_in: number;
}
