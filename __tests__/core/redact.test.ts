import { describe, expect, it } from '@jest/globals'
import {
  makeRedactor,
  redactUrlCredentials,
  urlSecrets
} from '../../src/redact.js'

describe('urlSecrets', () => {
  it('finds user:password and the password in proxy URLs', () => {
    const proxy = 'https://bot:s3cret@goproxy.corp.example/,direct'
    expect(urlSecrets(proxy)).toEqual(['bot:s3cret', 's3cret'])
    expect(
      urlSecrets('https://proxy.golang.org|https://u:tok@private.example')
    ).toEqual(['u:tok', 'tok'])
    expect(urlSecrets('https://proxy.golang.org,direct')).toEqual([])
  })

  it('takes the credentials up to the last "@" of the authority', () => {
    const secrets = urlSecrets('https://user:p@ss@host/path@x')
    expect(secrets).toContain('user:p@ss')
    expect(secrets).toContain('p@ss')
    // As the URL parser serializes it.
    expect(secrets).toContain('p%40ss')
    expect(secrets).not.toContain('user:p')
  })

  it('finds the credentials of a second URL after a newline', () => {
    expect(urlSecrets('https://a:one@h1\nhttps://b:two@h2')).toEqual(
      expect.arrayContaining(['a:one', 'one', 'b:two', 'two'])
    )
  })

  it('masks the password alone and percent-decoded', () => {
    const secrets = urlSecrets('https://bot:t%2Fk%3Aen@goproxy.corp/')
    expect(secrets).toEqual(
      expect.arrayContaining(['bot:t%2Fk%3Aen', 't%2Fk%3Aen', 't/k:en'])
    )
  })

  it('takes a user without a password as a token', () => {
    expect(urlSecrets('https://ghp_abc123@goproxy.corp/')).toEqual([
      'ghp_abc123'
    ])
  })

  it('lists longer secrets first and each once', () => {
    const secrets = urlSecrets('https://u:pw@a,https://u:pw@b')
    expect(secrets).toEqual(['u:pw', 'pw'])
  })
})

describe('redactUrlCredentials', () => {
  it.each<[string, string]>([
    [
      'GOPROXY=https://bot:s3cret@goproxy.corp.example/,direct',
      'GOPROXY=https://***@goproxy.corp.example/,direct'
    ],
    ['https://user:p@ss@host/x', 'https://***@host/x'],
    ['https://a:1@h1|https://b:2@h2', 'https://***@h1|https://***@h2'],
    ['https://host/a@b', 'https://host/a@b'],
    ['no url here', 'no url here']
  ])('redacts %j', (text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected)
  })
})

describe('makeRedactor', () => {
  it('hides every secret form, wherever it appears in a line', () => {
    const redact = makeRedactor(urlSecrets('https://bot:p%40ss@goproxy.corp/'))
    expect(redact('--build-arg GOPROXY=https://bot:p%40ss@goproxy.corp/')).toBe(
      '--build-arg GOPROXY=https://***@goproxy.corp/'
    )
    expect(redact('auth failed for password p@ss')).toBe(
      'auth failed for password ***'
    )
    expect(redact('token p%40ss rejected')).toBe('token *** rejected')
  })
})
