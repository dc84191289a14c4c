; Inno Setup script: a per-user installer of the Treffpunkt bundle for Windows (no admin rights).
;
;   iscc /DAppVersion=0.2.0 packaging\windows\treffpunkt.iss
;
; Expects the PyInstaller folder dist\Treffpunkt (Treffpunkt.exe, treffpunkt-cli.exe,
; _internal\) built from packaging\treffpunkt.spec, and writes
; dist\Treffpunkt-VERSION-windows-x64-setup.exe. .github/workflows/windows.yml runs both.
;
; Installs into %LOCALAPPDATA%\Programs\Treffpunkt (like other per-user programs), adds a
; Start-menu entry (and, if ticked, one on the desktop). The uninstaller removes only the
; program folder: the user's databases, backups and settings live elsewhere
; (%LOCALAPPDATA%\Treffpunkt\Treffpunkt and %APPDATA%\Treffpunkt\Treffpunkt, see app/paths.py)
; and stay, so a reinstall or an update finds everything as it was.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\treffpunkt.iss
#endif

[Setup]
; The AppId identifies the installation for updates and the uninstaller: never change it.
AppId={{5B0C6E0C-7B7E-4C55-9B0B-3E6A1F1C2D4E}
AppName=Treffpunkt
AppVersion={#AppVersion}
AppVerName=Treffpunkt {#AppVersion}
AppPublisher=Treffpunkt
AppComments=Netzwerktreffen planen, einladen, Anwesenheit erfassen, Protokolle schreiben
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\Treffpunkt
DisableDirPage=auto
DefaultGroupName=Treffpunkt
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=Treffpunkt-{#AppVersion}-windows-x64-setup
SetupIconFile=resources\icons\treffpunkt.ico
UninstallDisplayIcon={app}\Treffpunkt.exe
UninstallDisplayName=Treffpunkt
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
; A running Treffpunkt is asked to close (Restart Manager) before files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
german.DataKept=Ihre Treffpunkt-Daten (Datenbanken, Sicherungen, Einstellungen) wurden nicht gelöscht. Sie liegen in %1.
english.DataKept=Your Treffpunkt data (databases, backups, settings) was not deleted. It is in %1.
german.Comment=Netzwerktreffen planen, einladen, Anwesenheit erfassen, Protokolle schreiben
english.Comment=Plan network meetings, invite, record attendance, write minutes
german.CommandLine=Treffpunkt (Kommandozeile)
english.CommandLine=Treffpunkt (command line)

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update replaces the whole library folder, so no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\Treffpunkt\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Treffpunkt"; Filename: "{app}\Treffpunkt.exe"; WorkingDir: "{userdocs}"; Comment: "{cm:Comment}"
; A command prompt with treffpunkt-cli.exe on its PATH, for scripts and checks.
Name: "{autoprograms}\{cm:CommandLine}"; Filename: "{cmd}"; Parameters: "/k ""set ""PATH={app};%PATH%"" && treffpunkt-cli --help"""; WorkingDir: "{userdocs}"
Name: "{autodesktop}\Treffpunkt"; Filename: "{app}\Treffpunkt.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\Treffpunkt.exe"; Description: "{cm:LaunchProgram,Treffpunkt}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder: Python's caches that the program may have written beside itself.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\Treffpunkt')]),
      mbInformation, MB_OK);
end;
