import { Injectable } from '@nestjs/common';

interface Route {
  method: string;
  pattern: RegExp;
}

/**
 * The registered routes, filled in by the HTTP adapter as they are added, so that a
 * request for a known path with another method answers 405 with `Allow`, not 404.
 */
@Injectable()
export class RouteTable {
  private readonly routes: Route[] = [];

  add(method: string, path: string): void {
    const pattern = path
      .split('/')
      .map((segment) =>
        segment.startsWith(':')
          ? '[^/]+'
          : segment === '*'
            ? '.*'
            : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${pattern}/?$`) });
  }

  allowedMethods(url: string): string[] {
    const path = url.split('?')[0];
    const methods = this.routes
      .filter((route) => route.pattern.test(path))
      .map((route) => route.method)
      // CORS registers a catch-all OPTIONS route for preflights: it says nothing about the path.
      .filter((method) => method !== 'OPTIONS');
    return [...new Set(methods)];
  }

  /**
   * Whether the framework matched a real route for this request. Fastify leaves
   * `routeOptions.url` unset for unknown routes; on Express, Nest's not-found handler is
   * itself a catch-all route (`{/*splat}`).
   */
  matched(request: object): boolean {
    const fastifyRoute = (request as { routeOptions?: { url?: string } }).routeOptions;
    if (fastifyRoute !== undefined) return fastifyRoute.url !== undefined;
    const expressRoute = (request as { route?: { path?: unknown } }).route;
    return typeof expressRoute?.path === 'string' && !expressRoute.path.includes('*');
  }
}
